// Turns a failed call into what the screen shows: field problems inline, anything else in the banner.
import type { Problem } from "../bindings/Problem";
import { isCommandError } from "./api";
import { banner } from "./banner.svelte";

/** The problems to show beside the form's fields; other failures go to the banner. */
export function problemsOf(error: unknown): Problem[] {
  if (isCommandError(error) && error.kind === "invalid") return error.problems;
  report(error);
  return [];
}

/** Shows a failure in the error banner, in the core's words. */
export function report(error: unknown) {
  if (isCommandError(error)) {
    banner.show(error.kind === "invalid" ? error.problems.map((p) => `${p.field}: ${p.message}`).join("; ") : error.message);
  } else {
    banner.show(`Something went wrong: ${String(error)}`);
  }
}
