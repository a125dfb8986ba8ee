// How stored values read on screen (the core stores digits; people read punctuation).

/** `2145550100` as `(214) 555-0100`. */
export function phone(digits: string | null | undefined): string {
  if (!digits) return "";
  return digits.length === 10 ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : digits;
}

/** `750011234` as `75001-1234`. */
export function zip(digits: string | null | undefined): string {
  if (!digits) return "";
  return digits.length === 9 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : digits;
}

/** "City, ST" from the parts present. */
export function place(city: string | null | undefined, state: string | null | undefined): string {
  return [city, state].filter(Boolean).join(", ");
}

/** A decimal-string amount as dollars: `125.5` → `$125.50`, `-0.85` → `-$0.85`. The value itself is never
 * turned into a float. */
export function money(amount: string): string {
  const sign = amount.startsWith("-") ? "-" : "";
  const [whole, cents = ""] = amount.replace(/^-/, "").split(".");
  return `${sign}$${whole}.${(cents + "00").slice(0, 2)}`;
}

/** A date range, open-ended when there is no end. */
export function period(from: string, to: string | null): string {
  return to ? `${from} – ${to}` : `${from} – open`;
}
