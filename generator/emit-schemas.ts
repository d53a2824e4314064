/**
 * `bookCreateSchema` / `bookUpdateSchema`: schemas the model manager parses input with before
 * any SQL, turning failures into `ValidationError`s. Each field's value is checked by
 * `inputs.<kind>(…)`, the same check the runtime encoder applies to filter values, update() and
 * save(); `inputs.strictObject` rejects unknown keys. Everything comes from `inputs`, never from
 * zod itself, so the client's imports reach no zod declarations (runtime/types/inputs.ts).
 * Which of `author` / `authorId` is given is left to the types and the runtime.
 */
import { forwardToOne, type ModelContext } from "./context.js";
import { zodSchema, type ChainLink } from "./kinds.js";
import { isRequiredOnCreate } from "./emit-inputs.js";
import { createSchemaName, updateSchemaName } from "./naming.js";
import { hardline, type Doc } from "./print/doc.js";
import {
  callArguments,
  fluid,
  memberChain,
  objectDoc,
  property,
  propertyKey,
  type Valued,
} from "./print/syntax.js";

const NULLABLE: ChainLink = { name: "nullable", args: [] };
const OPTIONAL: ChainLink = { name: "optional", args: [] };

function uses(ctx: ModelContext): void {
  if (ctx.target === "dts") ctx.imports.type("ObjectInput");
  else ctx.imports.value("inputs");
}

/** `export declare const name: ObjectInput;` */
function declared(name: string): Doc {
  return `export declare const ${name}: ObjectInput;`;
}

function relationMembers(ctx: ModelContext): Doc[] {
  const relations = forwardToOne(ctx.model);
  if (relations.length > 0) ctx.imports.value("Model");
  return relations.map((r) =>
    property(
      propertyKey(r.name),
      memberChain("inputs", [
        { name: "instanceOf", args: [{ doc: "Model", kind: "other" }] },
        ...(r.nullable ? [NULLABLE] : []),
        OPTIONAL,
      ]),
    ),
  );
}

/** `export const name = inputs.strictObject({ … });` */
function strictObject(name: string, members: readonly Doc[]): Doc {
  const object: Valued = {
    doc: objectDoc(members, true),
    kind: "other",
    entries: { of: "object", count: members.length },
  };
  const call = memberChain("inputs", [{ name: "strictObject", args: [object] }]);
  return ["export const ", fluid(`${name} =`, call.doc), ";"];
}

export function emitCreateSchema(ctx: ModelContext): Doc {
  const m = ctx.model;
  const comment =
    "/** Checks create input before any SQL; the manager reports failures as ValidationError. */";
  uses(ctx);
  if (ctx.target === "dts") return [comment, hardline, declared(createSchemaName(m.name))];
  const members = m.fields.map((f) => {
    const links: ChainLink[] = [zodSchema(f)];
    if (f.nullable) links.push(NULLABLE);
    // A key column may be replaced by its relation (`author` instead of `authorId`).
    if (!isRequiredOnCreate(f) || f.relation !== undefined) links.push(OPTIONAL);
    return property(propertyKey(f.name), memberChain("inputs", links));
  });
  return [
    comment,
    hardline,
    strictObject(createSchemaName(m.name), [...members, ...relationMembers(ctx)]),
  ];
}

export function emitUpdateSchema(ctx: ModelContext): Doc {
  const m = ctx.model;
  const comment = "/** Checks update input (values or expressions) before any SQL. */";
  uses(ctx);
  if (ctx.target === "dts") return [comment, hardline, declared(updateSchemaName(m.name))];
  const members = m.fields.map((f) => {
    const value = memberChain("inputs", [zodSchema(f), ...(f.nullable ? [NULLABLE] : [])]);
    return property(
      propertyKey(f.name),
      memberChain("inputs", [{ name: "orExpression", args: [value] }, OPTIONAL]),
    );
  });
  return [
    comment,
    hardline,
    strictObject(updateSchemaName(m.name), [...members, ...relationMembers(ctx)]),
  ];
}
