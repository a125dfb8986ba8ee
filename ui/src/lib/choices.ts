// The labels of the coded values the core accepts, for select boxes. The core checks every
// value; these only say in words what each code means.

export const sexes: [string, string][] = [["F", "Female"], ["M", "Male"], ["U", "Unknown"]];

export const payerKinds: [string, string][] = [
  ["medicare_dme", "Medicare (DME MAC)"],
  ["medicaid", "Medicaid"],
  ["commercial", "Commercial"],
  ["self_pay", "Self-pay"],
];

export const priorities: [string, string][] = [["primary", "Primary"], ["secondary", "Secondary"], ["tertiary", "Tertiary"]];

export const relationships: [string, string][] = [["self", "Self"], ["spouse", "Spouse"], ["child", "Child"], ["other", "Other"]];

export const categories: [string, string][] = [
  ["IN", "IN — inexpensive or routinely purchased"],
  ["FS", "FS — frequent and substantial servicing"],
  ["CR", "CR — capped rental"],
  ["OX", "OX — oxygen"],
  ["OS", "OS — ostomy, tracheostomy, urological"],
  ["SD", "SD — surgical dressings"],
  ["PO", "PO — prosthetics and orthotics"],
  ["SU", "SU — supplies"],
  ["TE", "TE — TENS"],
];

export const units: [string, string][] = [["each", "Each"], ["month", "Month"], ["box", "Box"], ["pair", "Pair"], ["unit", "Unit"]];

export const movementKinds: [string, string][] = [
  ["receive", "Receive"],
  ["transfer", "Transfer"],
  ["deliver", "Deliver to patient"],
  ["return", "Return from patient"],
  ["adjust", "Adjust count"],
  ["scrap", "Scrap"],
];

export const assetStatuses: [string, string][] = [
  ["available", "Available"],
  ["reserved", "Reserved"],
  ["on_rent", "On rent"],
  ["sold", "Sold"],
  ["returned", "Returned"],
  ["cleaning", "Cleaning"],
  ["maintenance", "Maintenance"],
  ["retired", "Retired"],
  ["lost", "Lost"],
];

export const poStatuses: [string, string][] = [
  ["draft", "Draft"],
  ["ordered", "Ordered"],
  ["partially_received", "Partially received"],
  ["received", "Received"],
];

/** The label of `code` in `choices`, or the code itself. */
export function label(choices: [string, string][], code: string): string {
  return choices.find(([c]) => c === code)?.[1] ?? code;
}

export const docTypes: [string, string][] = [
  ["swo", "Standard written order"],
  ["cmn", "CMN (certificate of medical necessity)"],
  ["dif", "DIF (DME information form)"],
  ["face_to_face", "Face-to-face encounter note"],
  ["prior_auth", "Prior authorization"],
  ["abn", "ABN"],
  ["other", "Other"],
];

export const cmnForms: [string, string][] = [
  ["CMS-484", "CMS-484 — oxygen"],
  ["CMS-846", "CMS-846 — pneumatic compression"],
  ["CMS-847", "CMS-847 — osteogenesis stimulator"],
  ["CMS-848", "CMS-848 — TENS"],
  ["CMS-849", "CMS-849 — seat lift"],
  ["CMS-10125", "CMS-10125 — external infusion pump (DIF)"],
  ["CMS-10126", "CMS-10126 — enteral/parenteral nutrition (DIF)"],
];

export const testSettings: [string, string][] = [
  ["inpatient_before_discharge", "Inpatient, within 2 days of discharge"],
  ["outpatient_chronic_stable", "Outpatient, chronic stable state"],
  ["other", "Other"],
];

export const testConditions: [string, string][] = [["at_rest", "At rest"], ["exercise", "Exercise"], ["sleep", "Sleep"]];

export const rentalCategories: [string, string][] = [
  ["CR", "CR — capped rental (13 months)"],
  ["OX", "OX — oxygen (36 months)"],
  ["FS", "FS — frequent and substantial servicing"],
  ["IN", "IN — inexpensive, rented"],
];

export const claimStatuses: [string, string][] = [
  ["draft", "Draft"],
  ["ready", "Ready"],
  ["batched", "Batched"],
  ["submitted", "Submitted"],
  ["accepted", "Accepted"],
  ["rejected", "Rejected"],
  ["paid", "Paid"],
  ["partial", "Partly paid"],
  ["denied", "Denied"],
  ["closed", "Closed"],
];
