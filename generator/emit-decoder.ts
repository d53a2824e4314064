/**
 * `decodeBook(r, i, c)`: builds one instance from row `i` of a result, reading its columns
 * positionally from `c` with the `RowReader` getter of each field's kind. Unrolled per field, so
 * decoding a row is a constructor call and no per-cell dispatch.
 */
import type { FieldIR } from "../schema/ir.js";
import type { ModelContext } from "./context.js";
import { isEnum, READER_METHOD, valueType } from "./kinds.js";
import { decoderName } from "./naming.js";

function read(field: FieldIR, position: number, ctx: ModelContext): string {
  const col = position === 0 ? "c" : `c + ${position}`;
  let value = `r.${READER_METHOD[field.kind]}(${col}, i)`;
  if (isEnum(field) || field.kind === "json") value += ` as ${valueType(field, ctx)}`;
  return field.nullable ? `r.isNull(${col}, i) ? null : ${value}` : value;
}

export function emitDecoder(ctx: ModelContext): string {
  const m = ctx.model;
  ctx.imports.type("RowReader");
  if (m.fields.some((f) => f.kind === "json")) ctx.imports.type("JsonValue");
  const args = m.fields.map((f, k) => `    ${read(f, k, ctx)},`).join("\n");
  return `/** Reads one ${m.name} from row \`i\`, starting at column \`c\` (joined models start later). */
export function ${decoderName(m.name)}(r: RowReader, i: number, c = 0): ${m.name} {
  return new ${m.name}(
${args}
  );
}`;
}
