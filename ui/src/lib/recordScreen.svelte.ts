// The controller every record screen shares: a list following the search box, an editor
// that opens a record (or a new one) and saves it through the core, the row just saved,
// and the record another screen asked to open.
import { report } from "./errors";
import type { FormValues } from "./fields";
import { focusRow, focusSearch } from "./keys";
import { nav } from "./nav.svelte";
import { Editor, SearchList } from "./records.svelte";

/** The commands behind one kind of record (as `api.<noun>` provides them). */
export type RecordCommands<T extends FormValues, R extends { id: number }, L> = {
  list: (query: string) => Promise<L[]>;
  form: (id: number) => Promise<T>;
  add: (values: T) => Promise<R>;
  update: (id: number, values: T) => Promise<R>;
};

/** A list, an editor and the saved row, wired together; create it in the screen's script. */
export class RecordScreen<T extends FormValues, R extends { id: number }, L> {
  readonly results: SearchList<L>;
  readonly editor: Editor<T, R>;
  /** The row saved last, highlighted in the list. */
  savedId = $state<number | null>(null);
  #commands: RecordCommands<T, R, L>;

  /** `keepOpen`: after a save the record stays open in the editor (records with sections). */
  constructor(commands: RecordCommands<T, R, L>, keepOpen = false) {
    this.#commands = commands;
    this.results = new SearchList(commands.list);
    this.editor = new Editor<T, R>(
      (id, values) => (id === null ? commands.add(values) : commands.update(id, values)),
      async (saved) => {
        this.savedId = saved.id;
        await this.results.reload();
        if (keepOpen) await this.edit(saved.id);
        else focusRow(saved.id);
      },
    );
    this.results.follow();
    const requested = nav.take();
    if (requested !== null) this.edit(requested);
  }

  /** Opens record `id` in the editor. */
  async edit(id: number) {
    try {
      this.editor.start(id, await this.#commands.form(id));
    } catch (e) {
      report(e);
    }
  }

  /** Closes the editor and gives the focus back to the record's row, or to the search box. */
  cancel() {
    const id = this.editor.id;
    this.editor.close();
    if (id === null) focusSearch();
    else focusRow(id);
  }
}
