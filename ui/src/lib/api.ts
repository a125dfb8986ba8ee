// Typed calls to the shell's commands. Argument and result types are generated from Rust
// (src/bindings); nothing here decides a rule, it only moves data and counts busy time.
import { invoke } from "@tauri-apps/api/core";
import type { AppStatus } from "../bindings/AppStatus";
import type { CatalogItem } from "../bindings/CatalogItem";
import type { CatalogItemInput } from "../bindings/CatalogItemInput";
import type { CommandError } from "../bindings/CommandError";
import type { Coverage } from "../bindings/Coverage";
import type { CoverageInput } from "../bindings/CoverageInput";
import type { Dashboard } from "../bindings/Dashboard";
import type { DemoSummary } from "../bindings/DemoSummary";
import type { Fee } from "../bindings/Fee";
import type { FeeInput } from "../bindings/FeeInput";
import type { Patient } from "../bindings/Patient";
import type { PatientInput } from "../bindings/PatientInput";
import type { PatientSummary } from "../bindings/PatientSummary";
import type { Payer } from "../bindings/Payer";
import type { PayerInput } from "../bindings/PayerInput";
import type { Practitioner } from "../bindings/Practitioner";
import type { PractitionerInput } from "../bindings/PractitionerInput";
import type { Supplier } from "../bindings/Supplier";
import type { SupplierInput } from "../bindings/SupplierInput";
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

/** The form/add/update commands of one kind of record, named `<noun>_form` and so on. */
function records<R, I>(noun: string) {
  return {
    form: (id: number) => call<I>(`${noun}_form`, { id }),
    add: (input: I) => call<R>(`${noun}_add`, { input }),
    update: (id: number, input: I) => call<R>(`${noun}_update`, { id, input }),
  };
}

export const api = {
  appStatus: () => call<AppStatus>("app_status"),
  loadDemo: () => call<DemoSummary>("demo_load"),
  dashboard: () => call<Dashboard>("dashboard"),
  supplier: {
    form: () => call<SupplierInput>("supplier_form"),
    save: (input: SupplierInput) => call<Supplier>("supplier_save", { input }),
  },
  practitioners: {
    list: (search: string) => call<Practitioner[]>("practitioners_list", { search }),
    ...records<Practitioner, PractitionerInput>("practitioner"),
  },
  patients: {
    search: (query: string) => call<PatientSummary[]>("patients_search", { query }),
    ...records<Patient, PatientInput>("patient"),
  },
  coverages: {
    list: (patient_id: number) => call<Coverage[]>("coverages_list", { patient_id }),
    ...records<Coverage, CoverageInput>("coverage"),
  },
  payers: {
    list: (search: string) => call<Payer[]>("payers_list", { search }),
    ...records<Payer, PayerInput>("payer"),
  },
  fees: {
    list: (payer_id: number) => call<Fee[]>("fees_list", { payer_id }),
    ...records<Fee, FeeInput>("fee"),
  },
  catalog: {
    list: (search: string) => call<CatalogItem[]>("catalog_list", { search }),
    ...records<CatalogItem, CatalogItemInput>("catalog"),
  },
};
