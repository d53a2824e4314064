/**
 * What `schema/read.ts` finds in a schema file before any validation: model and field specs as
 * written, every option a literal, each with its position for messages.
 */
import type { LiteralValue, SourceLocation } from "./ir.js";

/** `maxLength: 100`, at the position of the option's name. */
export interface RawOption {
  readonly name: string;
  readonly value: LiteralValue;
  readonly loc: SourceLocation;
}

/** An options object. Options that were written but could not be read are already reported. */
export interface RawOptions {
  readonly entries: readonly RawOption[];
  /** Names of options that were not literals (reported by the reader; validation skips them). */
  readonly unreadable: ReadonlySet<string>;
  /** Where the options object starts (or the call, when there is none). */
  readonly loc: SourceLocation;
}

/** `title: fields.CharField({ maxLength: 200 })`. */
export interface RawField {
  readonly name: string;
  /** The field constructor as written, without `fields.`: `CharField` (maybe unknown). */
  readonly constructorName: string;
  /** Relations: the target model name, when it was a string literal. */
  readonly target?: { readonly name: string; readonly loc: SourceLocation };
  readonly options: RawOptions;
  readonly loc: SourceLocation;
}

/** `Book: {...}` or `Book: model({...}, {...})`. */
export interface RawModel {
  readonly name: string;
  readonly fields: readonly RawField[];
  /** Table options of `model(fields, options)`; empty for a plain object. */
  readonly options: RawOptions;
  readonly loc: SourceLocation;
}

export interface RawSchema {
  readonly file: string;
  readonly models: readonly RawModel[];
  /** Entries written in `defineSchema({...})`, readable or not: 0 means an empty schema. */
  readonly written: number;
  /** The `defineSchema(...)` call, for problems about the schema as a whole. */
  readonly loc: SourceLocation;
}

/** Looks up one option by name. */
export function option(options: RawOptions, name: string): RawOption | undefined {
  return options.entries.find((o) => o.name === name);
}
