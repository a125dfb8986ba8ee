// Dates as the core's text fields take them (YYYY-MM-DD), for a form's starting values.

/** Today on this computer, `monthsAhead` months on, as YYYY-MM-DD. */
export function todayText(monthsAhead = 0): string {
  const d = new Date();
  d.setMonth(d.getMonth() + monthsAhead);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
