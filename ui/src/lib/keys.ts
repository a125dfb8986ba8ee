// Keyboard helpers shared by the screens.

/** Arrow keys move between the rows' buttons of a table (Up from the first row goes back to search). */
export function rowNav(node: HTMLElement) {
  function onkeydown(event: KeyboardEvent) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const rows = Array.from(node.querySelectorAll<HTMLElement>("[data-row]"));
    const at = rows.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (next >= 0 && next < rows.length) rows[next].focus();
    else if (next < 0) document.querySelector<HTMLElement>("[data-search]")?.focus();
  }
  node.addEventListener("keydown", onkeydown);
  return { destroy: () => node.removeEventListener("keydown", onkeydown) };
}

/** Down arrow in a search box moves to the first result. */
export function searchKeys(event: KeyboardEvent) {
  if (event.key === "ArrowDown") {
    const first = document.querySelector<HTMLElement>("[data-row]");
    if (first) {
      event.preventDefault();
      first.focus();
    }
  }
}

/** Focuses the row button of record `id`, once the list shows it. */
export function focusRow(id: number) {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-row="${id}"]`)?.focus());
}

/** Focuses the screen's search box. */
export function focusSearch() {
  document.querySelector<HTMLElement>("[data-search]")?.focus();
}

/** Escape anywhere inside `node` calls `cancel` (closing a form or a dialog). */
export function onEscape(node: HTMLElement, cancel: () => void) {
  let current = cancel;
  function onkeydown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      current();
    }
  }
  node.addEventListener("keydown", onkeydown);
  return {
    update: (next: () => void) => (current = next),
    destroy: () => node.removeEventListener("keydown", onkeydown),
  };
}
