/**
 * The schema state: every model as the runtime's `ModelMeta` (forward relations only), keyed by
 * model name in creation order. A migration folder's state is the empty state with every
 * operation applied in order (no database involved), as Django replays its migrations.
 */
import { MigrationError } from "../errors.js";
import type { FieldMeta, ModelMeta, RelationMeta, ThroughIR } from "../model/meta.js";
import { fieldMetaOf, modelMetaOf, relationOf } from "./field-spec.js";
import type { Operation } from "./operation.js";

export type SchemaState = ReadonlyMap<string, ModelMeta>;

export const EMPTY_STATE: SchemaState = new Map();

export function modelIn(state: SchemaState, name: string, op: string): ModelMeta {
  const model = state.get(name);
  if (model === undefined) throw new MigrationError(`${op}: there is no model ${name}`);
  return model;
}

function fieldIn(model: ModelMeta, name: string, op: string): FieldMeta {
  const field = model.fields.find((f) => f.name === name);
  if (field === undefined)
    throw new MigrationError(`${op}: model ${model.name} has no field ${name}`);
  return field;
}

function put(state: SchemaState, model: ModelMeta, replacing = model.name): SchemaState {
  const next = new Map<string, ModelMeta>();
  for (const [name, m] of state) {
    if (name === replacing) next.set(model.name, model);
    else next.set(name, m);
  }
  if (!state.has(replacing)) next.set(model.name, model);
  return next;
}

function without(state: SchemaState, name: string): SchemaState {
  const next = new Map(state);
  next.delete(name);
  return next;
}

/** A model with its key-field relation for `field` replaced (or dropped when `r` is undefined). */
function withKeyRelation(
  model: ModelMeta,
  field: string,
  r: RelationMeta | undefined,
): RelationMeta[] {
  const others = model.relations.filter((rel) => rel.keyField !== field);
  return r === undefined ? others : [...others, r];
}

function renameIn(list: readonly (readonly string[])[], from: string, to: string): string[][] {
  return list.map((names) => names.map((n) => (n === from ? to : n)));
}

const sameFields = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** The state after `op`. Throws a MigrationError when `op` does not fit the state. */
export function applyOperation(state: SchemaState, op: Operation): SchemaState {
  switch (op.op) {
    case "createModel": {
      if (state.has(op.model.name))
        throw new MigrationError(`createModel: model ${op.model.name} exists already`);
      return put(state, modelMetaOf(op.model));
    }
    case "deleteModel": {
      modelIn(state, op.model, op.op);
      return without(state, op.model);
    }
    case "renameModel": {
      const model = modelIn(state, op.from, op.op);
      if (state.has(op.to)) throw new MigrationError(`renameModel: model ${op.to} exists already`);
      let next = put(state, { ...model, name: op.to }, op.from);
      for (const m of next.values()) {
        if (!m.relations.some((r) => r.target === op.from)) continue;
        const relations = m.relations.map((r) =>
          r.target === op.from ? { ...r, target: op.to } : r,
        );
        next = put(next, { ...m, relations });
      }
      return next;
    }
    case "alterModelTable": {
      const model = modelIn(state, op.model, op.op);
      return put(state, { ...model, table: op.table });
    }
    case "addField": {
      const model = modelIn(state, op.model, op.op);
      if (model.fields.some((f) => f.name === op.field.name))
        throw new MigrationError(
          `addField: model ${op.model} has a field ${op.field.name} already`,
        );
      return put(state, {
        ...model,
        fields: [...model.fields, fieldMetaOf(op.field)],
        relations: withKeyRelation(model, op.field.name, relationOf(op.field)),
      });
    }
    case "removeField": {
      const model = modelIn(state, op.model, op.op);
      const field = fieldIn(model, op.field, op.op);
      if (field.pk)
        throw new MigrationError(`removeField: ${op.model}.${op.field} is the primary key`);
      const names = [op.field, ...(field.relation === undefined ? [] : [field.relation])];
      for (const list of [model.uniqueTogether, model.indexes]) {
        const using = list.find((fields) => fields.some((n) => names.includes(n)));
        if (using !== undefined)
          throw new MigrationError(
            `removeField: ${op.model}.${op.field} is in the index (${using.join(", ")}); remove the index first`,
          );
      }
      return put(state, {
        ...model,
        fields: model.fields.filter((f) => f.name !== op.field),
        relations: withKeyRelation(model, op.field, undefined),
      });
    }
    case "alterField": {
      const model = modelIn(state, op.model, op.op);
      const old = fieldIn(model, op.field.name, op.op);
      if (old.pk !== op.field.pk || (old.pk && old.column !== op.field.column))
        throw new MigrationError(
          `alterField: changing the primary key of ${op.model} is not supported; write a runSql migration`,
        );
      return put(state, {
        ...model,
        fields: model.fields.map((f) => (f.name === op.field.name ? fieldMetaOf(op.field) : f)),
        relations: withKeyRelation(model, op.field.name, relationOf(op.field)),
      });
    }
    case "renameField": {
      const model = modelIn(state, op.model, op.op);
      const field = fieldIn(model, op.from, op.op);
      if (model.fields.some((f) => f.name === op.to))
        throw new MigrationError(`renameField: model ${op.model} has a field ${op.to} already`);
      const relationName = field.relation;
      const newRelation = op.relation ?? relationName;
      const renamed: FieldMeta = {
        ...field,
        name: op.to,
        column: op.column ?? field.column,
        ...(newRelation === undefined ? {} : { relation: newRelation }),
      };
      let uniqueTogether = renameIn(model.uniqueTogether, op.from, op.to);
      let indexes = renameIn(model.indexes, op.from, op.to);
      if (relationName !== undefined && newRelation !== undefined) {
        uniqueTogether = renameIn(uniqueTogether, relationName, newRelation);
        indexes = renameIn(indexes, relationName, newRelation);
      }
      return put(state, {
        ...model,
        pk: model.pk === op.from ? op.to : model.pk,
        fields: model.fields.map((f) => (f.name === op.from ? renamed : f)),
        relations: model.relations.map((r) =>
          r.keyField === op.from ? { ...r, keyField: op.to, name: newRelation ?? r.name } : r,
        ),
        uniqueTogether,
        indexes,
      });
    }
    case "addIndex":
    case "removeIndex": {
      const model = modelIn(state, op.model, op.op);
      const key = op.unique ? "uniqueTogether" : "indexes";
      const list = model[key];
      const has = list.some((names) => sameFields(names, op.fields));
      const label = `${op.unique ? "unique-together" : "index"} (${op.fields.join(", ")})`;
      if (op.op === "addIndex") {
        if (has) throw new MigrationError(`addIndex: ${op.model} has the ${label} already`);
        for (const name of op.fields) {
          if (
            !model.fields.some((f) => f.name === name) &&
            !model.relations.some((r) => r.name === name)
          )
            throw new MigrationError(`addIndex: model ${op.model} has no field ${name}`);
        }
        return put(state, { ...model, [key]: [...list, op.fields] });
      }
      if (!has) throw new MigrationError(`removeIndex: ${op.model} has no ${label}`);
      return put(state, { ...model, [key]: list.filter((names) => !sameFields(names, op.fields)) });
    }
    case "createJoinTable": {
      const { join } = op;
      const model = modelIn(state, join.model, op.op);
      modelIn(state, join.target, op.op);
      if (model.relations.some((r) => r.name === join.relation))
        throw new MigrationError(`createJoinTable: ${join.model}.${join.relation} exists already`);
      const relation: RelationMeta = {
        name: join.relation,
        kind: "manyToMany",
        target: join.target,
        inverse: "",
        nullable: false,
        through: {
          table: join.table,
          sourceColumn: join.sourceColumn,
          targetColumn: join.targetColumn,
        },
      };
      return put(state, { ...model, relations: [...model.relations, relation] });
    }
    case "dropJoinTable": {
      const model = modelIn(state, op.model, op.op);
      joinRelation(model, op.relation, op.op);
      return put(state, {
        ...model,
        relations: model.relations.filter((r) => r.name !== op.relation),
      });
    }
    case "renameJoinTable": {
      const model = modelIn(state, op.model, op.op);
      const r = joinRelation(model, op.relation, op.op);
      const name = op.to ?? op.relation;
      if (name !== op.relation && model.relations.some((rel) => rel.name === name))
        throw new MigrationError(`renameJoinTable: ${op.model}.${name} exists already`);
      if (op.sourceColumn === op.targetColumn)
        throw new MigrationError(
          `renameJoinTable: ${op.model}.${name} needs two different column names, not ${op.sourceColumn} twice`,
        );
      const through = {
        table: op.table,
        sourceColumn: op.sourceColumn,
        targetColumn: op.targetColumn,
      };
      return put(state, {
        ...model,
        relations: model.relations.map((rel) => (rel === r ? { ...r, name, through } : rel)),
      });
    }
    case "runSql":
    case "runCode":
      return state;
  }
}

/**
 * The table and columns of an auto join table, as operations store them. A through model's
 * table is its model's own (createModel and friends): migrations never see such a relation.
 */
export function joinColumns(
  through: ThroughIR,
): Pick<ThroughIR, "table" | "sourceColumn" | "targetColumn"> {
  return {
    table: through.table,
    sourceColumn: through.sourceColumn,
    targetColumn: through.targetColumn,
  };
}

export function joinRelation(model: ModelMeta, relation: string, op: string): RelationMeta {
  const r = model.relations.find((rel) => rel.name === relation && rel.kind === "manyToMany");
  if (r === undefined)
    throw new MigrationError(`${op}: ${model.name} has no many-to-many relation ${relation}`);
  return r;
}

/** The state after every operation, in order. */
export function replay(
  operations: readonly Operation[],
  state: SchemaState = EMPTY_STATE,
): SchemaState {
  let s = state;
  for (const op of operations) s = applyOperation(s, op);
  return s;
}
