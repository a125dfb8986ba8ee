// Describes a form's fields once, so every screen's form looks and behaves the same.

/** One input of a form. `name` is the field name the core uses in its problems. */
export type FieldSpec<T> = {
  name: keyof T & string;
  label: string;
  /** `yesno` is a Yes/No select; `choice` needs `options`. */
  kind?: "text" | "date" | "yesno" | "choice" | "money";
  options?: [value: string, label: string][];
  placeholder?: string;
  /** Takes the whole row of the form grid. */
  wide?: boolean;
  required?: boolean;
};

/** A form's values: every field is raw text, as the core's input types take them. */
export type FormValues = Record<string, string | undefined>;
