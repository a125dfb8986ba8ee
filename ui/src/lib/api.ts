// Typed calls to the shell's commands. Argument and result types are generated from Rust
// (src/bindings); nothing here decides a rule, it only moves data and counts busy time.
import { invoke } from "@tauri-apps/api/core";
import type { AppStatus } from "../bindings/AppStatus";
import type { CommandError } from "../bindings/CommandError";
import type { Practitioner } from "../bindings/Practitioner";
import type { PractitionerInput } from "../bindings/PractitionerInput";
import { busy } from "./busy.svelte";

/** True for the error shape every command rejects with. */
export function isCommandError(e: unknown): e is CommandError {
  return typeof e === "object" && e !== null && "kind" in e;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const done = busy.start();
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const error: CommandError = isCommandError(e) ? e : { kind: "other", message: String(e) };
    throw error;
  } finally {
    done();
  }
}

export const api = {
  appStatus: () => call<AppStatus>("app_status"),
  practitioners: {
    list: (search: string) => call<Practitioner[]>("practitioners_list", { search }),
    form: (id: number) => call<PractitionerInput>("practitioner_form", { id }),
    add: (input: PractitionerInput) => call<Practitioner>("practitioner_add", { input }),
    update: (id: number, input: PractitionerInput) => call<Practitioner>("practitioner_update", { id, input }),
  },
};
