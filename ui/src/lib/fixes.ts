// Where a biller goes to fix a scrubber finding: the core names the record, this maps it to
// the screen that edits it.
import type { Fix } from "../bindings/Fix";
import { nav } from "./nav.svelte";

/** The link's words for `fix`. */
export function fixLabel(fix: Fix): string {
  switch (fix.screen) {
    case "supplier": return "Supplier settings";
    case "patient": return "Open the patient";
    case "coverage": return "Open the patient's insurance";
    case "practitioner": return "Open the practitioner";
    case "order": return "Open the order";
    case "documents": return "Open the documents";
    case "document_rules": return "Document rules";
    case "fees": return "Open the fee schedule";
    case "catalog": return "Open the catalog";
    case "claims": return "See the other claims";
  }
}

/** Opens the screen (and record, where the screen opens one) that fixes `fix` on a claim of
 * patient `patientId`. */
export function openFix(fix: Fix, patientId: number) {
  switch (fix.screen) {
    case "supplier": return nav.go("settings");
    case "patient": return nav.go("patients", fix.id);
    case "coverage": return nav.go("patients", patientId);
    case "practitioner": return nav.go("practitioners", fix.id);
    case "order": return nav.go("orders", fix.id);
    case "documents":
    case "document_rules": return nav.go("documents");
    case "fees": return nav.go("payers", fix.id);
    case "catalog": return nav.go("catalog");
    case "claims": return nav.go("claims");
  }
}
