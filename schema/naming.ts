/**
 * Every database and property name the schema layer derives: snake_case tables and columns,
 * camelCase reverse relations, `authorId` key fields, and the names a schema may not use.
 */

/** `BookTag` → `book_tag`, `createdAt` → `created_at`, `HTTPRequest` → `http_request`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** `Book` → `book`, `BookTag` → `bookTag`, `HTTPRequest` → `httpRequest`, `URL` → `url`. */
export function camelCase(name: string): string {
  const lead = /^[A-Z]+/.exec(name)?.[0] ?? "";
  if (lead.length === name.length) return name.toLowerCase();
  // Keep the last capital of a leading acronym when it starts the next word: `HTTPRequest`.
  const cut =
    lead.length > 1 && /[a-z]/.test(name[lead.length] ?? "") ? lead.length - 1 : lead.length;
  return name.slice(0, cut).toLowerCase() + name.slice(cut);
}

/** The property holding a to-one relation's key: `author` → `authorId`. */
export function keyFieldName(relation: string): string {
  return `${relation}Id`;
}

/** Default reverse name of a relation declared on `model`: `books` (to-many) or `book` (one-to-one). */
export function defaultRelatedName(model: string, toMany: boolean): string {
  return toMany ? `${camelCase(model)}s` : camelCase(model);
}

/** Default join table of a many-to-many relation: `${sourceTable}_${targetTable}`. */
export function defaultThroughTable(sourceTable: string, targetTable: string): string {
  return `${sourceTable}_${targetTable}`;
}

/** Join-table columns; a self-referential relation needs distinct `from_`/`to_` columns. */
export function throughColumns(source: string, target: string): { source: string; target: string } {
  if (source === target) {
    return { source: `from_${snakeCase(source)}_id`, target: `to_${snakeCase(target)}_id` };
  }
  return { source: `${snakeCase(source)}_id`, target: `${snakeCase(target)}_id` };
}

/** A plain ASCII JavaScript identifier (what a generated property or class can be named). */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** `Book`, `BookTag`, `Isbn13`: an identifier that starts with a capital and has no `_` or `$`. */
export function isPascalCase(name: string): boolean {
  return /^[A-Z][A-Za-z0-9]*$/.test(name);
}

/** Postgres silently truncates longer identifiers, which would make distinct names collide. */
export const MAX_SQL_NAME_LENGTH = 63;

/**
 * Names a field or relation cannot take, because every model instance needs them: its methods
 * (a field would hide them), `then` (an instance would pass for a promise), `pk` (the filter
 * alias of the primary key), `constructor` and `__proto__`. The model's own data sits outside
 * the user's names: static `meta` and `objects` live on the class, not on instances, and the
 * loaded relations behind `_loaded`, so fields may be called `meta`, `objects` or `loaded`.
 */
export const RESERVED_FIELD_NAMES: readonly string[] = [
  "save",
  "delete",
  "refreshFromDb",
  "fetchRelated",
  "clone",
  "updateFromDict",
  "toJSON",
  "then",
  "pk",
  "constructor",
  "__proto__",
  "_loaded",
];

/**
 * Names a model class cannot take: what `yara-orm` exports (the generated `index.ts` re-exports
 * them beside the models), globals the generated code relies on, and `Index` (its file would be
 * `index.ts`, the generated entry point).
 */
export const RESERVED_MODEL_NAMES: ReadonlyMap<string, string> = new Map([
  ...[
    "Model",
    "ModelManager",
    "ModelMeta",
    "ModelTypes",
    "QuerySet",
    "SaveOptions",
    "Q",
    "F",
    "YaraOrm",
    "Expression",
    "RowReader",
    "Driver",
    "Count",
    "Sum",
    "Avg",
    "Min",
    "Max",
    "Lower",
    "Upper",
    "Length",
    "Coalesce",
    "Trim",
    "YaraError",
    "DoesNotExist",
    "MultipleObjectsReturned",
    "IntegrityError",
    "ValidationError",
    "FieldError",
    "RelationNotLoadedError",
    "TransactionError",
    "ConnectionError",
    "ConfigurationError",
    "ValidatorFunction",
    "ValidatorFunctions",
  ].map((n): [string, string] => [n, `the \`${n}\` that yara-orm exports`]),
  ...["Array", "BigInt", "Boolean", "Date", "Error", "JSON", "Map", "Number", "Object", "Promise"]
    .concat(["Record", "Set", "String", "Symbol", "Uint8Array"])
    .map((n): [string, string] => [n, `the global \`${n}\` that generated code uses`]),
  ["Index", "the generated `index.ts` entry point"],
]);

/**
 * Why `name` cannot name a field or relation (completes "… `Book.x` …"), or undefined if it can.
 */
export function memberNameProblem(name: string): string | undefined {
  if (!isIdentifier(name))
    return "is not a valid identifier; use letters, digits, `_` and `$`, not starting with a digit";
  if (name.includes("__"))
    return "contains `__`, which separates relations in filters like `author__name`; rename it";
  if (RESERVED_FIELD_NAMES.includes(name)) {
    const listed = RESERVED_FIELD_NAMES.map((n) => `\`${n}\``).join(", ");
    return `clashes with a member every model has; rename it (reserved: ${listed})`;
  }
  return undefined;
}

/**
 * The candidate `name` was probably meant to be: the same ignoring case, or a typo away (one
 * edit or swap per five characters, at most two).
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const allowed = Math.min(2, Math.max(1, Math.floor(name.length / 5)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = typoDistance(candidate.toLowerCase(), name.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}

/** Edits (insert, delete, replace, swap of neighbours) turning `a` into `b`. */
function typoDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.length, b.length);
}
