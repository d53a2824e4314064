/**
 * What watch mode keeps between reads of the schema file so a save re-walks only the models it
 * changed: each model read without problems, keyed by its text and the column it starts at. A
 * model that only moved (an edit above it added or removed lines) comes back with its source
 * positions shifted by the lines it moved. Everything is forgotten when the file's imports change,
 * since they decide what a callee such as `f.CharField` means.
 */
import type { SourceLocation } from "./ir.js";
import type { RawField, RawModel, RawOptions, RawSchema } from "./raw.js";
import type { Callees, ModelSpan } from "./read-models.js";

/**
 * The shape of the latest read whose models are each a plain `Name: value`: its text, where each
 * model is written, and what the rest of the file said. A save that changes the text inside one
 * model is then read by parsing that model alone (`read-edit.ts`).
 */
export interface ReadLayout {
  readonly text: string;
  /** The path the file was parsed as (its extension decides the syntax). */
  readonly path: string;
  readonly spans: readonly ModelSpan[];
  readonly schema: Omit<RawSchema, "models">;
  readonly callees: Callees;
}

interface Entry {
  readonly line: number;
  readonly model: RawModel;
}

export class SchemaReadCache {
  #imports: string | undefined;
  #entries = new Map<string, Entry>();
  /** Models the latest read walked (the others came from the cache). */
  walked: string[] = [];
  layout: ReadLayout | undefined;

  forgetLayout(): void {
    this.layout = undefined;
  }

  /** Starts a read of a file whose import declarations read `imports`. */
  begin(imports: string): void {
    if (imports !== this.#imports) this.#entries = new Map();
    this.#imports = imports;
    this.walked = [];
  }

  /** The model written as `text` from `at`, if an earlier read found it without problems. */
  get(text: string, at: SourceLocation): RawModel | undefined {
    const entry = this.#entries.get(key(text, at));
    if (entry === undefined) return undefined;
    const delta = at.line - entry.line;
    return delta === 0 ? entry.model : shiftModel(entry.model, delta);
  }

  set(text: string, at: SourceLocation, model: RawModel): void {
    this.#entries.set(key(text, at), { line: at.line, model });
  }

  /** Models kept for the next read. */
  get size(): number {
    return this.#entries.size;
  }

  /** Keeps only the models of the latest read. */
  retain(texts: ReadonlyArray<{ readonly text: string; readonly at: SourceLocation }>): void {
    const keep = new Set(texts.map(({ text, at }) => key(text, at)));
    for (const k of this.#entries.keys()) if (!keep.has(k)) this.#entries.delete(k);
  }
}

const key = (text: string, at: SourceLocation): string => `${at.column}\n${text}`;

const shift = (loc: SourceLocation, delta: number): SourceLocation => ({
  line: loc.line + delta,
  column: loc.column,
});

function shiftOptions(options: RawOptions, delta: number): RawOptions {
  return {
    entries: options.entries.map((o) => ({ ...o, loc: shift(o.loc, delta) })),
    unreadable: options.unreadable,
    loc: shift(options.loc, delta),
  };
}

function shiftField(field: RawField, delta: number): RawField {
  return {
    ...field,
    ...(field.target === undefined
      ? {}
      : { target: { name: field.target.name, loc: shift(field.target.loc, delta) } }),
    options: shiftOptions(field.options, delta),
    loc: shift(field.loc, delta),
  };
}

function shiftModel(model: RawModel, delta: number): RawModel {
  return {
    name: model.name,
    fields: model.fields.map((f) => shiftField(f, delta)),
    options: shiftOptions(model.options, delta),
    loc: shift(model.loc, delta),
  };
}
