import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Project, ts } from "ts-morph";
import { STRICT_OPTIONS } from "/work/main/tests/generator/support/typecheck.js";
const dir = process.argv[2]!;
const p = new Project({ compilerOptions: { ...STRICT_OPTIONS, paths: { "yara-orm": ["/tmp/stub/index.ts"] } }, skipAddingFilesFromTsConfig: true });
p.addSourceFilesAtPaths([...readdirSync(join(dir, "expected")).map((f) => join(dir, "expected", f)), join(dir, "usage.ts")]);
for (const d of ts.getPreEmitDiagnostics(p.getProgram().compilerObject)) {
  const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
  console.log(`${d.file?.fileName}:${pos ? pos.line + 1 : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}
