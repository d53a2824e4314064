/**
 * Every operation's inverse, given the state it was applied to: what `--down` runs. Applying an
 * operation and then its inverse gives back the state before (tests/migrations/state.test.ts).
 */
import { MigrationError } from "../errors.js";
import { fieldSpecOf, modelSpecOf } from "./field-spec.js";
import type { FillOption, Operation } from "./operation.js";
import { joinColumns, joinRelation, modelIn, type SchemaState } from "./state.js";

export function inverseOf(op: Operation, before: SchemaState): Operation {
  switch (op.op) {
    case "createModel":
      return { op: "deleteModel", model: op.model.name };
    case "deleteModel":
      return { op: "createModel", model: modelSpecOf(modelIn(before, op.model, op.op)) };
    case "renameModel":
      return { op: "renameModel", from: op.to, to: op.from };
    case "alterModelTable":
      return {
        op: "alterModelTable",
        model: op.model,
        table: modelIn(before, op.model, op.op).table,
      };
    case "addField":
      return { op: "removeField", model: op.model, field: op.field.name };
    case "removeField":
      return {
        op: "addField",
        model: op.model,
        field: fieldBefore(before, op.model, op.field, op.op),
        ...fillOf(op),
      };
    case "alterField":
      return {
        op: "alterField",
        model: op.model,
        field: fieldBefore(before, op.model, op.field.name, op.op),
        ...fillOf(op),
      };
    case "renameField": {
      const old = fieldBefore(before, op.model, op.from, op.op);
      return {
        op: "renameField",
        model: op.model,
        from: op.to,
        to: op.from,
        column: old.column,
        ...(old.relation === undefined ? {} : { relation: old.relation }),
      };
    }
    case "addIndex":
      return { ...op, op: "removeIndex" };
    case "removeIndex":
      return { ...op, op: "addIndex" };
    case "createJoinTable":
      return { op: "dropJoinTable", model: op.join.model, relation: op.join.relation };
    case "dropJoinTable": {
      const r = joinRelation(modelIn(before, op.model, op.op), op.relation, op.op);
      if (r.through === undefined)
        throw new MigrationError(`dropJoinTable: ${op.model}.${op.relation} has no join table`);
      return {
        op: "createJoinTable",
        join: {
          model: op.model,
          relation: op.relation,
          target: r.target,
          ...joinColumns(r.through),
        },
      };
    }
    case "renameJoinTable": {
      const r = joinRelation(modelIn(before, op.model, op.op), op.relation, op.op);
      if (r.through === undefined)
        throw new MigrationError(`renameJoinTable: ${op.model}.${op.relation} has no join table`);
      return {
        op: "renameJoinTable",
        model: op.model,
        relation: op.to ?? op.relation,
        ...(op.to === undefined || op.to === op.relation ? {} : { to: op.relation }),
        ...joinColumns(r.through),
      };
    }
    case "runSql":
      if (op.down === undefined) throw irreversible("runSql");
      return { op: "runSql", up: op.down, down: op.up };
    case "runCode":
      if (op.down === undefined) throw irreversible("runCode");
      return { op: "runCode", up: op.down, down: op.up };
  }
}

/** The operation's `fill`, for the inverse that may make the column NOT NULL (operation.ts). */
function fillOf(op: FillOption): FillOption {
  return op.fill === undefined ? {} : { fill: op.fill };
}

function fieldBefore(state: SchemaState, model: string, field: string, op: string) {
  const spec = fieldSpecOf(modelIn(state, model, op), field);
  if (spec === undefined) throw new MigrationError(`${op}: model ${model} has no field ${field}`);
  return spec;
}

function irreversible(kind: string): MigrationError {
  return new MigrationError(`${kind} has no "down": this migration cannot be reversed`);
}
