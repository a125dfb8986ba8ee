// Which screen is showing, and which record it should open (when the dashboard links to one).
export type ScreenId =
  | "dashboard"
  | "patients"
  | "orders"
  | "deliveries"
  | "documents"
  | "practitioners"
  | "payers"
  | "catalog"
  | "settings"
  | "inventory"
  | "assets"
  | "maintenance"
  | "purchasing"
  | "rentals"
  | "claims"
  | "remittance"
  | "sync";

let screen = $state<ScreenId>("dashboard");
let open = $state<number | null>(null);

export const nav = {
  get screen() {
    return screen;
  },
  /** The record the screen should open once, then forget. */
  take(): number | null {
    const id = open;
    open = null;
    return id;
  },
  go(to: ScreenId, record: number | null = null) {
    screen = to;
    open = record;
  },
};

/** The header's supplier name, refreshed when the settings or the demo change it. */
let supplierName = $state<string | null>(null);
export const supplier = {
  get name() {
    return supplierName;
  },
  set name(value: string | null) {
    supplierName = value;
    document.title = value ? `HME Desk — ${value}` : "HME Desk";
  },
};
