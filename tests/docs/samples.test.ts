/**
 * Every code sample of README.md and docs/*.md is kept in a file under docs/samples and shown
 * verbatim (tests/docs/markdown-samples.ts describes the markers): each ```ts block is marked,
 * each marked block equals its file's region, and the sample files type-check under the
 * project's strict settings. The *-samples.test.ts files beside this one run them.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  codeBlocks,
  firstDifference,
  inlineSpans,
  markdownFiles,
  quotedSpans,
  regionNames,
  regionText,
  root,
  sampleFolders,
  type CodeBlock,
} from "./markdown-samples.js";

const blocks: CodeBlock[] = markdownFiles().flatMap((markdown) => codeBlocks(markdown));

describe("every code block of the docs is a sample file's region", () => {
  it("finds the docs' blocks", () => {
    expect(blocks.filter((b) => b.markdown === "README.md").length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.markdown === "docs/api.md").length).toBeGreaterThan(0);
  });

  for (const block of blocks) {
    const where = `${block.markdown}:${block.line}`;
    it(`${where} (${block.marker.kind === "file" ? `${block.marker.file}#${block.marker.region}` : block.marker.kind})`, () => {
      const marker = block.marker;
      switch (marker.kind) {
        case "missing":
          throw new Error(
            `${where}: a \`\`\`${block.language} block without a marker; keep the sample in a file ` +
              "under docs/samples and put `<!-- sample: docs/samples/<dir>/<file>.ts#<region> -->` " +
              "on the line before the block",
          );
        case "bad":
          throw new Error(`${where}: ${marker.problem}`);
        case "none":
          expect(marker.reason.length).toBeGreaterThan(10);
          return;
        case "file": {
          expect(marker.file, `${where}: samples live under docs/samples/<dir>/`).toMatch(
            /^docs\/samples\/[^/]+\/(?:[^/]+\/)*[^/]+\.ts$/,
          );
          const region = regionText(marker.file, marker.region);
          if (region !== block.text) {
            throw new Error(
              `${where} differs from ${marker.file}#${marker.region} (${firstDifference(region, block.text)}); ` +
                "edit the file and run `npm run docs:sync`",
            );
          }
        }
      }
    });
  }

  it("uses only a few `none` markers", () => {
    const none = blocks.filter((b) => b.marker.kind === "none").map((b) => `${b.markdown}:${b.line}`);
    expect(none.length, none.join(", ")).toBeLessThanOrEqual(3);
  });
});

describe("every sample file is shown and run", () => {
  const shown = new Set(
    blocks.flatMap((b) => (b.marker.kind === "file" ? [`${b.marker.file}#${b.marker.region}`] : [])),
  );
  const folders = sampleFolders();

  for (const [folder, files] of folders) {
    it(`docs/samples/${folder} is generated from its schema and run by tests/docs/${folder}-samples.test.ts`, () => {
      expect(existsSync(join(root, "docs/samples", folder, "app.schema.ts"))).toBe(true);
      expect(existsSync(join(root, "tests/docs", `${folder}-samples.test.ts`))).toBe(true);
      expect(files.length).toBeGreaterThan(0);
    });
    for (const file of [...files, `docs/samples/${folder}/app.schema.ts`]) {
      it(`${file} is shown in the docs: its regions as blocks, or its quotes inline`, () => {
        const regions = regionNames(file);
        const quotes = quotedSpans(file);
        expect(
          regions.length + quotes.length,
          `${file} has no region and quotes no code span, so no doc shows it`,
        ).toBeGreaterThan(0);
        for (const region of regions) expect(shown).toContain(`${file}#${region}`);
      });
      for (const quote of quotedSpans(file)) {
        it(`${file}:${quote.line} runs \`${quote.span}\` of ${quote.markdown}`, () => {
          expect(
            inlineSpans(quote.markdown),
            `${quote.markdown} no longer has the code span`,
          ).toContain(quote.span);
          expect(quote.statement, "the statement after the quote runs the span").toContain(
            quote.span,
          );
        });
      }
    }
  }
});

describe("the sample files type-check under the project's strict settings", () => {
  it("tsc reports no problem in docs/samples", () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, "tsconfig.json"),
      { noEmit: true },
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } },
    );
    if (config === undefined) throw new Error("tsconfig.json could not be read");
    const rootNames = sampleSources(join(root, "docs/samples"));
    const program = ts.createProgram({ rootNames, options: config.options });
    // Only the samples' own diagnostics: the runtime they import is checked by `npm run typecheck`.
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...rootNames.flatMap((file) => {
        const source = program.getSourceFile(file);
        if (source === undefined) throw new Error(`tsc did not load ${file}`);
        return [
          ...program.getSyntacticDiagnostics(source),
          ...program.getSemanticDiagnostics(source),
        ];
      }),
    ];
    const problems = diagnostics.map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (d.file === undefined || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName.slice(root.length)}:${line + 1}:${character + 1}: ${message}`;
    });
    expect(problems).toEqual([]);
  }, 120_000);
});

/** The .ts files under docs/samples, the generated clients aside (they are imported). */
function sampleSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sampleSources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}
