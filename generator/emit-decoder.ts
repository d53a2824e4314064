/**
 * `decodeBook(r, i, c)`: builds one instance from row `i` of a result, reading its columns
 * positionally from `c` with the `RowReader` getter of each field's kind. Unrolled per field, so
 * decoding a row is a constructor call and no per-cell dispatch.
 */
import type { FieldIR } from "../schema/ir.js";
import type { ModelContext } from "./context.js";
import { isEnum, READER_METHOD, valueType } from "./kinds.js";
import { decoderName } from "./naming.js";
import { group, hardline, indent, type Doc } from "./print/doc.js";
import { callArguments, conditional, parameters } from "./print/syntax.js";

function read(field: FieldIR, position: number, ctx: ModelContext): Doc {
  const col = position === 0 ? "c" : `c + ${position}`;
  const value = `r.${READER_METHOD[field.kind]}(${col}, i)`;
  if (!isEnum(field) && field.kind !== "json") {
    return field.nullable ? conditional(`r.isNull(${col}, i)`, "null", value) : value;
  }
  if (ctx.target === "js") {
    return field.nullable ? conditional(`r.isNull(${col}, i)`, "null", value) : value;
  }
  const cast = `${value} as ${valueType(field, ctx)}`;
  // prettier puts a cast in a branch of a conditional in parentheses
  return field.nullable ? conditional(`r.isNull(${col}, i)`, "null", `(${cast})`) : cast;
}

export function emitDecoder(ctx: ModelContext): Doc {
  const m = ctx.model;
  const comment = `/** Reads one ${m.name} from row \`i\`, starting at column \`c\` (joined models start later). */`;
  if (ctx.target !== "js") ctx.imports.type("RowReader");
  if (ctx.target === "dts") {
    const params = parameters(["r: RowReader", "i: number", "c?: number"]);
    const signature = group([params, `: ${m.name}`]);
    return [comment, hardline, `export declare function ${decoderName(m.name)}`, signature, ";"];
  }
  if (ctx.target === "ts" && m.fields.some((f) => f.kind === "json")) ctx.imports.type("JsonValue");
  const args = m.fields.map((f, k) => ({ doc: read(f, k, ctx), kind: "other" as const }));
  const typed = ctx.target === "ts";
  const params = parameters(typed ? ["r: RowReader", "i: number", "c = 0"] : ["r", "i", "c = 0"]);
  return [
    comment,
    hardline,
    `export function ${decoderName(m.name)}`,
    group([params, typed ? `: ${m.name}` : ""]),
    " {",
    indent([hardline, `return new ${m.name}`, callArguments(args), ";"]),
    hardline,
    "}",
  ];
}
