// Sync at a glance for the header and the sync screen: read on start, after every pass (the
// shell announces each with a `sync-finished` event) and once a minute.
import { listen } from "@tauri-apps/api/event";
import type { SyncStatus } from "../bindings/SyncStatus";
import { api } from "./api";

let current = $state<SyncStatus | null>(null);

async function refresh() {
  try {
    current = await api.sync.status();
  } catch {
    current = null;
  }
}

/** Starts following the status; call once from the app shell. */
export function followSync() {
  refresh();
  listen("sync-finished", refresh);
  setInterval(refresh, 60_000);
}

export const syncState = {
  get status() {
    return current;
  },
  refresh,
};

/** The header's words for `status`. */
export function syncLabel(status: SyncStatus | null): string {
  if (!status) return "";
  if (!status.transport) return "Sync not set up";
  const waiting = status.outbox_waiting ? ` · ${status.outbox_waiting} to send` : "";
  if (!status.last_pass) return `Not synced yet${waiting}`;
  const at = new Date(status.last_pass.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `${status.last_pass.online ? "Online" : "Offline"} · synced ${at}${waiting}`;
}
