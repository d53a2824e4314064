/**
 * An operation's statements for one dialect, given the state before and after it (Django's
 * `database_forwards(from_state, to_state)`). Going down renders the inverse the same way.
 * A step is a SQL statement, or a `runCode` function run on the migration's transaction.
 */
import type { Dialect, DialectName, MigrationStep } from "../dialect/dialect.js";
import { createTable, joinTable, modelForeignKeys, modelIndexes } from "../dialect/ddl.js";
import { quoteIdent } from "../dialect/ddl-columns.js";
import { MigrationError } from "../errors.js";
import { enumMemberChecks } from "./enum-members.js";
import type { Operation, SqlText } from "./operation.js";
import { renameJoinTableSteps } from "./rename-join-table.js";
import { joinRelation, modelIn, type SchemaState } from "./state.js";
import type { TableChange } from "./table-change.js";

export type Step = MigrationStep;

export function renderOperation(
  op: Operation,
  before: SchemaState,
  after: SchemaState,
  dialect: Dialect,
): Step[] {
  switch (op.op) {
    case "createModel": {
      const model = modelIn(after, op.model.name, op.op);
      const fks = modelForeignKeys(model, after);
      return [
        createTable(model, dialect, fks, () => true, { ifNotExists: false }),
        ...modelIndexes(model),
      ];
    }
    case "deleteModel":
      return [`DROP TABLE ${quoteIdent(modelIn(before, op.model, op.op).table)}`];
    case "renameModel":
      return [];
    case "alterModelTable":
    case "addField":
    case "removeField":
    case "alterField":
    case "addIndex":
    case "removeIndex": {
      const fill = op.op === "addField" || op.op === "alterField" ? op.fill : undefined;
      return reshape(
        {
          from: modelIn(before, op.model, op.op),
          to: modelIn(after, op.model, op.op),
          fieldMap: new Map(),
          fill,
        },
        before,
        after,
        dialect,
      );
    }
    case "renameField":
      return reshape(
        {
          from: modelIn(before, op.model, op.op),
          to: modelIn(after, op.model, op.op),
          fieldMap: new Map([[op.to, op.from]]),
        },
        before,
        after,
        dialect,
      );
    case "createJoinTable": {
      const model = modelIn(after, op.join.model, op.op);
      const made = joinTable(model, joinRelation(model, op.join.relation, op.op), after, dialect, {
        ifNotExists: false,
      });
      return [made.table, made.index];
    }
    case "dropJoinTable": {
      const r = joinRelation(modelIn(before, op.model, op.op), op.relation, op.op);
      return [`DROP TABLE ${quoteIdent(r.through?.table ?? "")}`];
    }
    case "renameJoinTable": {
      const r0 = joinRelation(modelIn(before, op.model, op.op), op.relation, op.op);
      const model = modelIn(after, op.model, op.op);
      const r1 = joinRelation(model, op.to ?? op.relation, op.op);
      return renameJoinTableSteps(model, r1, r0.through!, after, dialect);
    }
    case "runSql":
      return sqlFor(op.up, dialect);
    case "runCode":
      return [op.up];
  }
}

/**
 * The table change, after the checks that no row holds a value an altered enum field no longer
 * lists (enum-members.ts): they run first, so the refusal names the enum's removed members
 * rather than the database's CHECK or the new text length.
 */
function reshape(
  change: TableChange,
  before: SchemaState,
  after: SchemaState,
  dialect: Dialect,
): Step[] {
  return [...enumMemberChecks(change), ...dialect.migrations.changeTable(change, before, after)];
}

function sqlFor(text: SqlText, dialect: Dialect): string[] {
  if (typeof text === "string") return [text];
  if (Array.isArray(text)) return [...(text as readonly string[])];
  const mine = (text as { readonly [D in DialectName]?: string | readonly string[] })[dialect.name];
  if (mine === undefined) throw new MigrationError(`runSql has no SQL for ${dialect.name}`);
  return typeof mine === "string" ? [mine] : [...mine];
}
