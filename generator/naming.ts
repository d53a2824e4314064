/**
 * Every identifier and file name the generator writes comes from here, so a model's names are
 * predictable from its schema name alone: `BookTag` → file `book-tag.ts`, class `BookTag`,
 * `bookTagMeta`, `BOOK_TAG_COLUMNS`, `decodeBookTag`, `BookTagWhere`, `BookTagCreate`, …
 */

/** `words` of each name seen: every emitter names the model again (a cold 300-model run: ~25 ms). */
const wordsOf = new Map<string, readonly string[]>();

/** Splits `BookTag` / `HTTPRequest` / `OAuth2Token` into lower-case words. */
function words(name: string): readonly string[] {
  let split = wordsOf.get(name);
  if (split === undefined) {
    split = name
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .split(/[\s_-]+/)
      .filter((w) => w.length > 0)
      .map((w) => w.toLowerCase());
    wordsOf.set(name, split);
  }
  return split;
}

/** `BookTag` → `bookTag`, `HTTPRequest` → `httpRequest`. */
export function camelCase(name: string): string {
  return words(name)
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
}

/** `createdAt` → `CreatedAt`. */
export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `BookTag` → `book-tag`. */
export function kebabCase(name: string): string {
  return words(name).join("-");
}

/** `BookTag` → `BOOK_TAG`. */
export function constantCase(name: string): string {
  return words(name).join("_").toUpperCase();
}

/**
 * Output file of a model, relative to the output directory, with the extension of what it holds:
 * `book-tag.ts`, or the pair `book-tag.js` and `book-tag.d.ts`.
 */
export const modelFile = (model: string, extension = ".ts"): string =>
  `${kebabCase(model)}${extension}`;
/** How one generated file imports another: `./book-tag.js`. */
export const modelImport = (model: string): string => `./${kebabCase(model)}.js`;
export const indexFile = (extension = ".ts"): string => `index${extension}`;
/** The runtime version check; `_` keeps it apart from model files (kebab-case names never start so). */
export const versionFile = (extension = ".ts"): string => `_version${extension}`;
/** The extension of each file of the target: `.d.ts` declares what `.js` implements. */
export const EXTENSIONS = { ts: ".ts", js: ".js", dts: ".d.ts" } as const;
export const versionImport = "./_version.js";

export const metaName = (model: string): string => `${camelCase(model)}Meta`;
export const columnsName = (model: string): string => `${constantCase(model)}_COLUMNS`;
export const decoderName = (model: string): string => `decode${model}`;
export const typesName = (model: string): string => `${model}Types`;

/** Filter keys of the model's own fields. */
export const ownWhereName = (model: string): string => `${model}OwnWhere`;
/** Own filter keys plus one relation hop. */
/** Every filter key: own fields plus paths up to `RELATION_DEPTH` hops. */
export const whereName = (model: string): string => `${model}Where`;

export const ownFieldTypesName = (model: string): string => `${model}OwnFieldTypes`;
export const nearFieldTypesName = (model: string): string => `${model}NearFieldTypes`;
export const fieldTypesName = (model: string): string => `${model}FieldTypes`;
/** Fields one to-many relation away, for aggregates (`Sum("books__price")`). */
export const manyFieldTypesName = (model: string): string => `${model}ManyFieldTypes`;

/** Paths selectRelated accepts. */
export const relatedPathName = (model: string): string => `${model}RelatedPath`;
/** Paths prefetchRelated and fetchRelated accept. */
export const prefetchPathName = (model: string): string => `${model}PrefetchPath`;

export const createName = (model: string): string => `${model}Create`;
export const updateName = (model: string): string => `${model}Update`;
export const createSchemaName = (model: string): string => `${camelCase(model)}CreateSchema`;
export const updateSchemaName = (model: string): string => `${camelCase(model)}UpdateSchema`;

/** One name a model's module exports, and what it is there (`create input type`). */
export interface ModelExport {
  readonly name: string;
  readonly what: string;
}

/**
 * Everything a model's module exports, its enum types aside: the class and the names above, each
 * with what it is. The generated index re-exports every model module, so two models must not
 * export one name (name-clashes.ts refuses such a schema); tests/generator/name-clashes.test.ts
 * holds this list to the exports the emitters write.
 */
export function modelExports(model: string): readonly ModelExport[] {
  return [
    { name: model, what: "model class" },
    { name: metaName(model), what: "meta" },
    { name: columnsName(model), what: "column list" },
    { name: decoderName(model), what: "row decoder" },
    { name: ownWhereName(model), what: "own filter type" },
    { name: whereName(model), what: "filter type" },
    { name: ownFieldTypesName(model), what: "own field types" },
    { name: nearFieldTypesName(model), what: "near field types" },
    { name: fieldTypesName(model), what: "field types" },
    { name: manyFieldTypesName(model), what: "to-many field types" },
    { name: relatedPathName(model), what: "selectRelated path type" },
    { name: prefetchPathName(model), what: "prefetch path type" },
    { name: createName(model), what: "create input type" },
    { name: updateName(model), what: "update input type" },
    { name: createSchemaName(model), what: "create input schema" },
    { name: updateSchemaName(model), what: "update input schema" },
    { name: typesName(model), what: "model types" },
  ];
}

/**
 * The literal-union type of an enum field: `Book.status` → `BookStatus`, or `BookStatusValue`
 * when a model of that name exists.
 */
export function enumTypeName(
  model: string,
  field: string,
  modelNames: ReadonlySet<string>,
): string {
  const name = `${model}${pascalCase(field)}`;
  return modelNames.has(name) ? `${name}Value` : name;
}

/** Starts every generated file; `write.ts` only ever deletes files that start with it. */
export const HEADER_PREFIX = "// DO NOT EDIT: generated by yara-gen";

/**
 * The second header line. The type checker then skips the generated declarations themselves
 * (yara's golden tests check them under strict) and builds a model's filter, field and input
 * types only where code uses them: on 300 models, ~4.8 M instantiations → ~0.18 M. Code that
 * uses the client is checked as usual.
 */
export const NO_CHECK =
  "// @ts-nocheck: checked by yara's tests; code using this file is checked as usual.";

export function header(schemaFile: string): string {
  return `${HEADER_PREFIX} from ${schemaFile}. Edit the schema and run yara-gen again.\n${NO_CHECK}`;
}
