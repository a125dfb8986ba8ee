// Counts calls in flight; the header shows a busy indicator when one takes longer than a blink.
// Only `visible` is reactive, so starting a call inside an effect does not make the effect
// depend on the busy state.
const SHOW_AFTER_MS = 150;

let pending = 0;
let visible = $state(false);
let timer: ReturnType<typeof setTimeout> | undefined;

export const busy = {
  get visible() {
    return visible;
  },
  /** Marks the start of a call; the returned function marks its end. */
  start(): () => void {
    pending += 1;
    timer ??= setTimeout(() => (visible = pending > 0), SHOW_AFTER_MS);
    return () => {
      pending -= 1;
      if (pending === 0) {
        clearTimeout(timer);
        timer = undefined;
        visible = false;
      }
    };
  },
};
