/**
 * `npm run docs:sync`: rewrites every marked code block of README.md and docs/*.md from the
 * region of the sample file its marker names (tests/docs/markdown-samples.ts), so a sample is
 * edited — and type-checked and run — in its file, and the markdown follows.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeBlocks, markdownFiles, regionText, root } from "./markdown-samples.js";

let changed = 0;
for (const markdown of markdownFiles()) {
  const path = join(root, markdown);
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  // From the last block up, so the line numbers of the blocks still to do stay valid.
  for (const block of codeBlocks(markdown, text).reverse()) {
    if (block.marker.kind !== "file") continue;
    const region = regionText(block.marker.file, block.marker.region);
    if (region === block.text) continue;
    lines.splice(block.bodyStart, block.bodyEnd - block.bodyStart, ...region.split("\n"));
    console.log(`${markdown}:${block.line}: rewritten from ${block.marker.file}#${block.marker.region}`);
    changed++;
  }
  const updated = lines.join("\n");
  if (updated !== text) writeFileSync(path, updated);
}
console.log(`docs:sync: ${changed} block(s) rewritten`);
