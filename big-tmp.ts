import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { emit } from "./generator/emit.js";
import { field, model, pk, relation, schema } from "./tests/generator/ir-builders.js";
import type { ModelIR, RelationIR, FieldIR } from "./schema/ir.js";
const N = Number(process.argv[2] ?? 300);
const models: { name: string; fields: FieldIR[]; relations: RelationIR[] }[] = [];
for (let i = 0; i < N; i++) {
  models.push({ name: `M${i}`, fields: [pk(), field("name", "char", { maxLength: 50 }), field("count", "int"), field("price", "decimal", { maxDigits: 10, decimalPlaces: 2, nullable: true }), field("createdAt", "datetime"), field("active", "boolean")], relations: [] });
}
for (let i = 0; i < N; i++) {
  for (const k of [1, 7, 31]) {
    const t = (i + k) % N;
    const name = `r${k}`;
    models[i]!.fields.push(field(`${name}Id`, "int", { relation: name }));
    models[i]!.relations.push(relation(name, "foreignKey", `M${t}`, `back${k}From${i}`));
    models[t]!.relations.push(relation(`back${k}From${i}`, "reverseForeignKey", `M${i}`, name, { keyField: `${name}Id` }));
  }
}
const ir = schema(...models.map((m) => model(m.name, m.fields, m.relations)));
const files = emit(ir);
const out = "/tmp/big/gen";
rmSync("/tmp/big", { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [p, s] of files) writeFileSync(`${out}/${p}`, s);
let usage = `import * as m from "./gen/index.js";\n`;
for (let i = 0; i < Math.min(N, 50); i++) usage += `m.M${i}.filter({ name__icontains: "x", r1__name: "y", r1__r7__count__gt: 3, back1From${(i + N - 1) % N}__price: 1 });\n`;
writeFileSync("/tmp/big/usage.ts", usage);
writeFileSync("/tmp/big/package.json", `{"type":"module"}`);
writeFileSync("/tmp/big/tsconfig.json", JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noUncheckedIndexedAccess: true, verbatimModuleSyntax: true, noEmit: true, skipLibCheck: true, types: [], paths: { "yara-orm": ["/tmp/stub/index.ts"] } }, include: ["usage.ts"] }));
