import { mkdirSync, writeFileSync } from "node:fs";
import { emit } from "./generator/emit.js";
import { formatFiles } from "./generator/format.js";
import { bookstore } from "./tests/generator/ir-builders.js";
const files = await formatFiles(emit(bookstore()));
mkdirSync("/tmp/gen1", { recursive: true });
for (const [p, s] of files) writeFileSync("/tmp/gen1/" + p, s);
