/**
 * Names that must not collide once every default is filled in: members of a model (declared
 * fields, derived key fields, reverse relations), columns of a table, and tables of the schema
 * (models and join tables). SQLite compares identifiers case-insensitively, so clashes do too.
 * Also catches derived names longer than Postgres keeps.
 */
import type { FieldIR, ModelIR, RelationIR, SourceLocation } from "./ir.js";
import { memberName } from "./draft.js";
import { MAX_SQL_NAME_LENGTH } from "./naming.js";
import type { ProblemList } from "./problems.js";
import type { ThroughTable } from "./relations.js";

/** Key fields and reverse relations must not reuse a name the model already has. */
export function checkMemberNames(model: ModelIR, problems: ProblemList): void {
  const taken = new Map<string, string>();
  const describe = (name: string, what: string) => taken.set(name, what);
  for (const field of model.fields) {
    if (field.relation === undefined)
      describe(field.name, `the field ${memberName(model.name, field.name)}`);
  }
  for (const relation of model.relations) {
    if (!isReverse(relation))
      describe(relation.name, `the relation ${memberName(model.name, relation.name)}`);
  }
  for (const field of model.fields) {
    if (field.relation === undefined) continue;
    const owner = memberName(model.name, field.relation);
    const clash = taken.get(field.name);
    if (clash !== undefined) {
      problems.add(
        field.loc,
        `${owner} keeps its key in \`${field.name}\`, which clashes with ${clash}; rename one of them`,
      );
    }
    describe(field.name, `the key field of ${owner}`);
  }
  for (const relation of model.relations) {
    if (!isReverse(relation)) continue;
    const owner = memberName(relation.target, relation.inverse);
    const clash = taken.get(relation.name);
    if (clash !== undefined) {
      problems.add(
        relation.loc,
        `the reverse relation \`${relation.name}\` that ${owner} adds to \`${model.name}\` clashes with ${clash}; give ${owner} a different \`relatedName\``,
      );
    }
    describe(relation.name, `the reverse relation of ${owner}`);
  }
}

/** Two fields of a model stored in one column. */
export function checkColumns(model: ModelIR, problems: ProblemList): void {
  const taken = new Map<string, FieldIR>();
  const names = new Set<string>();
  for (const field of model.fields) {
    // A field whose name is taken twice is reported by checkMemberNames or primaryKey already.
    if (names.has(field.name)) continue;
    names.add(field.name);
    const owner = memberName(model.name, field.relation ?? field.name);
    checkLength(
      field.column,
      `column \`${field.column}\` of ${owner}`,
      "`column`",
      field.loc,
      problems,
    );
    const key = field.column.toLowerCase();
    const first = taken.get(key);
    if (first === undefined) {
      taken.set(key, field);
      continue;
    }
    const firstOwner = memberName(model.name, first.relation ?? first.name);
    problems.add(
      field.loc,
      `column \`${field.column}\` of ${owner} is already used by ${firstOwner}; set a different \`column\``,
    );
  }
}

interface TableUse {
  readonly table: string;
  readonly what: string;
  readonly fix: string;
  readonly loc: SourceLocation;
}

/** Every model table and join table is distinct. */
export function checkTables(
  models: readonly {
    readonly name: string;
    readonly table: string;
    readonly tableLoc: SourceLocation;
  }[],
  throughs: readonly ThroughTable[],
  problems: ProblemList,
): void {
  const uses: TableUse[] = [
    ...models.map((m) => ({
      table: m.table,
      what: `model \`${m.name}\``,
      fix: "set a different `table`",
      loc: m.tableLoc,
    })),
    ...throughs.map((t) => ({
      table: t.table,
      what: t.owner,
      fix: `set a different \`through\` on ${t.owner}`,
      loc: t.loc,
    })),
  ];
  const taken = new Map<string, TableUse>();
  for (const use of uses) {
    checkLength(
      use.table,
      `table \`${use.table}\` of ${use.what}`,
      use.fix.includes("through") ? "`through`" : "`table`",
      use.loc,
      problems,
    );
    const key = use.table.toLowerCase();
    const first = taken.get(key);
    if (first === undefined) {
      taken.set(key, use);
      continue;
    }
    problems.add(
      use.loc,
      `table \`${use.table}\` of ${use.what} is already used by ${first.what}; ${use.fix}`,
    );
  }
}

function checkLength(
  name: string,
  what: string,
  option: string,
  loc: SourceLocation,
  problems: ProblemList,
): void {
  if (name.length > MAX_SQL_NAME_LENGTH) {
    problems.add(
      loc,
      `${what} is longer than ${MAX_SQL_NAME_LENGTH} characters, which Postgres would cut short; set a shorter ${option}`,
    );
  }
}

function isReverse(relation: RelationIR): boolean {
  return relation.kind.startsWith("reverse");
}
