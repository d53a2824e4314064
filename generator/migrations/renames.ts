/**
 * `--rename Book=Volume` and `--rename Book.name=title`: renames are never guessed, the user
 * names them. Field renames use the model's name in the schema file (after a model rename).
 */
export interface Renames {
  /** Old model name → new. */
  readonly models: ReadonlyMap<string, string>;
  /** `${newModelName}.${oldField}` → new field (or relation) name. */
  readonly fields: ReadonlyMap<string, string>;
}

export const NO_RENAMES: Renames = { models: new Map(), fields: new Map() };

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const MODEL_RENAME = new RegExp(`^(${NAME})=(${NAME})$`);
const FIELD_RENAME = new RegExp(`^(${NAME})\\.(${NAME})=(${NAME})$`);

/** Parses the `--rename` values; a malformed one is reported as a usage problem. */
export function parseRenames(values: readonly string[]): { renames: Renames } | { error: string } {
  const models = new Map<string, string>();
  const fields = new Map<string, string>();
  for (const value of values) {
    const f = FIELD_RENAME.exec(value);
    if (f !== null) {
      fields.set(`${f[1]}.${f[2]}`, f[3]!);
      continue;
    }
    const m = MODEL_RENAME.exec(value);
    if (m !== null) {
      models.set(m[1]!, m[2]!);
      continue;
    }
    return { error: `--rename ${value}: write Model=NewModel or Model.field=newField` };
  }
  return { renames: { models, fields } };
}
