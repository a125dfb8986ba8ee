// Typed calls to the shell's commands. Argument and result types are generated from Rust
// (src/bindings); nothing here decides a rule, it only moves data and counts busy time.
import { invoke, type InvokeArgs, type InvokeOptions } from "@tauri-apps/api/core";
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
import type { Asset } from "../bindings/Asset";
import type { ConfirmInput } from "../bindings/ConfirmInput";
import type { Delivery } from "../bindings/Delivery";
import type { DeliveryFilter } from "../bindings/DeliveryFilter";
import type { DeliveryInput } from "../bindings/DeliveryInput";
import type { Document } from "../bindings/Document";
import type { DocumentFile } from "../bindings/DocumentFile";
import type { DocumentInput } from "../bindings/DocumentInput";
import type { ExchangeInput } from "../bindings/ExchangeInput";
import type { MissingItem } from "../bindings/MissingItem";
import type { Order } from "../bindings/Order";
import type { OrderInput } from "../bindings/OrderInput";
import type { PickInput } from "../bindings/PickInput";
import type { PickupInput } from "../bindings/PickupInput";
import type { AssetDetail } from "../bindings/AssetDetail";
import type { AssetStatus } from "../bindings/AssetStatus";
import type { Item } from "../bindings/Item";
import type { Location } from "../bindings/Location";
import type { MaintenanceDue } from "../bindings/MaintenanceDue";
import type { Movement } from "../bindings/Movement";
import type { MovementInput } from "../bindings/MovementInput";
import type { PoLineInput } from "../bindings/PoLineInput";
import type { PoStatus } from "../bindings/PoStatus";
import type { PurchaseOrder } from "../bindings/PurchaseOrder";
import type { PurchaseOrderInput } from "../bindings/PurchaseOrderInput";
import type { ReceiptInput } from "../bindings/ReceiptInput";
import type { ReorderLevel } from "../bindings/ReorderLevel";
import type { ScanResult } from "../bindings/ScanResult";
import type { ServiceRecord } from "../bindings/ServiceRecord";
import type { ServiceRecordInput } from "../bindings/ServiceRecordInput";
import type { StockLevel } from "../bindings/StockLevel";
import type { TransitionInput } from "../bindings/TransitionInput";
import type { Valuation } from "../bindings/Valuation";
import type { Vendor } from "../bindings/Vendor";
import type { CarcCode } from "../bindings/CarcCode";
import type { Payment } from "../bindings/Payment";
import type { PostingSummary } from "../bindings/PostingSummary";
import type { AckSummary } from "../bindings/AckSummary";
import type { AckVerdict } from "../bindings/AckVerdict";
import type { UnmatchedClaim } from "../bindings/UnmatchedClaim";
import type { WorkItem } from "../bindings/WorkItem";
import type { InboxItem } from "../bindings/InboxItem";
import type { OutboxItem } from "../bindings/OutboxItem";
import type { PassReport } from "../bindings/PassReport";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { EligibilityCheck } from "../bindings/EligibilityCheck";
import type { PatientResupplyDue } from "../bindings/PatientResupplyDue";
import type { Cms1500Variant } from "../bindings/Cms1500Variant";
import type { BillingRun } from "../bindings/BillingRun";
import type { BreakInput } from "../bindings/BreakInput";
import type { BuildReport } from "../bindings/BuildReport";
import type { Claim } from "../bindings/Claim";
import type { ClaimBatch } from "../bindings/ClaimBatch";
import type { ClaimDetail } from "../bindings/ClaimDetail";
import type { CorrectionKind } from "../bindings/CorrectionKind";
import type { ClaimStatus } from "../bindings/ClaimStatus";
import type { ClaimSummary } from "../bindings/ClaimSummary";
import type { PayerClaims } from "../bindings/PayerClaims";
import type { Episode } from "../bindings/Episode";
import type { MissedMonth } from "../bindings/MissedMonth";
import type { RentalPatient } from "../bindings/RentalPatient";
import type { RentalSchedule } from "../bindings/RentalSchedule";
import type { ScheduleInput } from "../bindings/ScheduleInput";
import type { ScrubResult } from "../bindings/ScrubResult";
import { busy } from "./busy.svelte";

/** True for the error shape every command rejects with. */
export function isCommandError(e: unknown): e is CommandError {
  return typeof e === "object" && e !== null && "kind" in e;
}

async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  const done = busy.start();
  try {
    return await invoke<T>(command, args, options);
  } catch (e) {
    const error: CommandError = isCommandError(e) ? e : { kind: "other", message: String(e) };
    throw error;
  } finally {
    done();
  }
}

/** Sends a file's bytes as the raw body; a header carries its name (ASCII only, as headers are). */
function upload<T>(command: string, file_name: string, content: Uint8Array): Promise<T> {
  return call<T>(command, content, { headers: { "file-name": file_name.replace(/[^\x20-\x7e]/g, "_") } });
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
  orders: {
    list: () => call<Order[]>("orders_list"),
    add: (input: OrderInput) => call<Order>("order_add", { input }),
    status: (id: number, status: string) => call<Order>("order_status", { id, status }),
    missing: (id: number) => call<MissingItem[]>("order_missing", { id }),
  },
  documents: {
    list: (search: string) => call<Document[]>("documents_list", { search }),
    get: (id: number) => call<Document>("document_get", { id }),
    ...records<Document, DocumentInput>("document"),
    attach: (id: number, file_name: string, content: Uint8Array) =>
      call<DocumentFile>("document_attach", { id, file_name, content: Array.from(content) }),
    file: async (file_id: number) => new Uint8Array(await call<number[]>("document_file", { file_id })),
  },
  deliveries: {
    list: (filter: DeliveryFilter) => call<Delivery[]>("deliveries_list", { filter }),
    schedulableOrders: () => call<Order[]>("deliveries_schedulable_orders"),
    schedule: (input: DeliveryInput) => call<Delivery>("delivery_schedule", { input }),
    available: (hcpcs: string) => call<Asset[]>("assets_available", { hcpcs }),
    pick: (id: number, input: PickInput) => call<Delivery>("delivery_pick", { id, input }),
    confirm: (id: number, input: ConfirmInput, png: Uint8Array) =>
      call<Delivery>("delivery_confirm", { id, input, signature_png: Array.from(png) }),
    ticket: async (id: number) => new Uint8Array(await call<number[]>("delivery_ticket", { id })),
    pickup: (input: PickupInput) => call<Delivery>("delivery_pickup", { input }),
    exchange: (input: ExchangeInput) => call<Delivery>("delivery_exchange", { input }),
  },
  inventory: {
    items: (search: string) => call<Item[]>("items_list", { search }),
    locations: () => call<Location[]>("locations_list"),
    stock: (location_id: number | null) => call<StockLevel[]>("stock_on_hand", { location_id }),
    move: (input: MovementInput) => call<Movement>("stock_move", { input }),
    valuation: () => call<Valuation>("valuation"),
    reorderLevels: () => call<ReorderLevel[]>("reorder_levels"),
    scan: (code: string) => call<ScanResult>("scan_lookup", { code }),
  },
  assets: {
    list: (status: AssetStatus | null, search: string) => call<Asset[]>("assets_list", { status, search }),
    detail: (id: number) => call<AssetDetail>("asset_detail", { id }),
    transition: (id: number, input: TransitionInput) => call<Asset>("asset_transition", { id, input }),
    maintenanceDue: (within_days: number) => call<MaintenanceDue[]>("maintenance_due", { within_days }),
    service: (asset_id: number, input: ServiceRecordInput) => call<ServiceRecord>("service_add", { asset_id, input }),
  },
  purchasing: {
    list: (status: PoStatus | null) => call<PurchaseOrder[]>("purchase_orders_list", { status }),
    add: (input: PurchaseOrderInput) => call<PurchaseOrder>("purchase_order_add", { input }),
    addLine: (id: number, input: PoLineInput) => call<PurchaseOrder>("purchase_order_add_line", { id, input }),
    place: (id: number) => call<PurchaseOrder>("purchase_order_place", { id }),
    receive: (id: number, input: ReceiptInput) => call<PurchaseOrder>("purchase_order_receive", { id, input }),
    vendors: () => call<Vendor[]>("vendors_list"),
  },
  rentals: {
    list: (patient_id: number | null) => call<Episode[]>("rentals_list", { patient_id }),
    patients: () => call<RentalPatient[]>("rentals_patients"),
    interrupt: (id: number, input: BreakInput) => call<Episode>("rental_interrupt", { id, input }),
    newPeriod: (break_id: number) => call<Episode>("rental_new_period", { break_id }),
    priorMonths: (id: number, months: string) => call<Episode>("rental_prior_months", { id, months }),
    schedule: (input: ScheduleInput) => call<RentalSchedule>("rental_schedule", { input }),
    bill: (through: string) => call<BillingRun>("rentals_bill", { through }),
    missed: (through: string) => call<MissedMonth[]>("rentals_missed", { through }),
    resupply: (days: number) => call<PatientResupplyDue[]>("rentals_resupply", { days }),
  },
  claims: {
    list: (status: ClaimStatus | null, payer_id: number | null) => call<ClaimSummary[]>("claims_list", { status, payer_id }),
    payers: () => call<PayerClaims[]>("claims_payers"),
    detail: (id: number) => call<ClaimDetail>("claim_detail", { id }),
    correct: (id: number, kind: CorrectionKind, payer_claim_number: string | null) =>
      call<Claim>("claim_correct", { id, kind, payer_claim_number }),
    build: () => call<BuildReport>("claims_build"),
    scrub: () => call<ScrubResult[]>("claims_scrub"),
    batch: (payer_id: number) => call<ClaimBatch>("claim_batch_create", { payer_id }),
    batches: () => call<ClaimBatch[]>("claim_batches_list"),
    batchFile: async (id: number) => new Uint8Array(await call<number[]>("claim_batch_file", { id })),
    cms1500: async (id: number, variant: Cms1500Variant) => new Uint8Array(await call<number[]>("claim_cms1500", { id, variant })),
  },
  remit: {
    import: (file_name: string, content: Uint8Array) => upload<PostingSummary>("remit_import", file_name, content),
    payments: () => call<Payment[]>("remit_payments"),
    workQueue: () => call<WorkItem[]>("remit_work_queue"),
    resolve: (id: number, note: string) => call<null>("remit_resolve", { id, note }),
    unmatched: () => call<UnmatchedClaim[]>("remit_unmatched"),
    importAck: (file_name: string, content: Uint8Array) => upload<AckSummary>("ack_import", file_name, content),
    unmatchedAcks: () => call<AckVerdict[]>("ack_unmatched"),
    carcs: (search: string) => call<CarcCode[]>("carc_list", { search }),
    setCarc: (code: string, action: string) => call<CarcCode>("carc_set", { code, action }),
  },
  eligibility: {
    check: (patient_id: number, service_type: string) => call<EligibilityCheck>("eligibility_check", { patient_id, service_type }),
    list: (patient_id: number) => call<EligibilityCheck[]>("eligibility_list", { patient_id }),
  },
  sync: {
    status: () => call<SyncStatus>("sync_status"),
    outbox: () => call<OutboxItem[]>("sync_outbox"),
    inbox: () => call<InboxItem[]>("sync_inbox"),
    now: () => call<PassReport>("sync_now"),
    sendNow: (id: number) => call<PassReport>("sync_send_now", { id }),
  },
};
