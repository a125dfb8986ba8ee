// The two behaviours every record screen shares: a list that follows a search box, and an
// editor that opens a form, saves it through the core and shows the core's problems.
import { untrack } from "svelte";
import type { Problem } from "../bindings/Problem";
import { report, problemsOf } from "./errors";
import type { FormValues } from "./fields";

/** Rows matching `query`, reloaded as it changes; answers to stale queries are dropped. */
export class SearchList<R> {
  query = $state("");
  rows = $state<R[]>([]);
  loaded = $state(false);
  #seq = 0;
  #fetch: (query: string) => Promise<R[]>;

  constructor(fetch: (query: string) => Promise<R[]>) {
    this.#fetch = fetch;
  }

  /** Keeps the rows following the search box; call once from the screen's script. */
  follow() {
    $effect(() => {
      const query = this.query;
      untrack(() => this.#load(query));
    });
  }

  /** Loads the rows again (after a save). */
  reload(): Promise<void> {
    return this.#load(untrack(() => this.query));
  }

  async #load(query: string) {
    const seq = ++this.#seq;
    try {
      const rows = await this.#fetch(query);
      if (seq === this.#seq) {
        this.rows = rows;
        this.loaded = true;
      }
    } catch (e) {
      report(e);
    }
  }
}

/** A form being filled in for a new record (`id` null) or an existing one. */
export class Editor<T extends FormValues, R> {
  values = $state<T | null>(null);
  id = $state<number | null>(null);
  problems = $state<Problem[]>([]);
  saving = $state(false);
  #save: (id: number | null, values: T) => Promise<R>;
  #saved: (record: R) => void;

  constructor(save: (id: number | null, values: T) => Promise<R>, saved: (record: R) => void) {
    this.#save = save;
    this.#saved = saved;
  }

  get open() {
    return this.values !== null;
  }

  start(id: number | null, values: T) {
    this.id = id;
    this.values = values;
    this.problems = [];
  }

  close() {
    this.values = null;
    this.id = null;
    this.problems = [];
  }

  async submit() {
    if (this.values === null || this.saving) return;
    this.saving = true;
    try {
      const record = await this.#save(this.id, $state.snapshot(this.values) as T);
      this.close();
      this.#saved(record);
    } catch (e) {
      this.problems = problemsOf(e);
    } finally {
      this.saving = false;
    }
  }
}
