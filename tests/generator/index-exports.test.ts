/**
 * `index.d.ts` re-exports each model's declarations by name (not `export *`, which makes an
 * editor merge every model's export table on each request): the names must be exactly what
 * each `.d.ts` declares, read here with TypeScript's parser rather than the generator's scan.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { emit } from "../../generator/emit.js";
import { bookstore, field, model, pk, relation, schema } from "./ir-builders.js";

/** Names a file exports, as TypeScript reads its top-level statements. */
function exported(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022);
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause === undefined || !ts.isNamedExports(clause)) continue; // export * from "yara-orm"
      for (const element of clause.elements) names.add(element.name.text);
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) names.add(d.name.getText(file));
    } else if (
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isEnumDeclaration(statement)
    ) {
      names.add(statement.name!.text);
    }
  }
  return [...names].sort();
}

/** Enums of both kinds, a JSON field, a nullable relation: every section a model file can hold. */
function tickets() {
  return schema(
    model(
      "User",
      [pk(), field("name", "text")],
      [relation("tickets", "reverseForeignKey", "Ticket", "assignee", { keyField: "assigneeId" })],
    ),
    model(
      "Ticket",
      [
        pk(),
        field("status", "charEnum", { maxLength: 8, enumValues: ["open", "closed"] }),
        field("priority", "intEnum", { enumValues: [1, 2, 3], nullable: true }),
        field("payload", "json", { nullable: true }),
        field("assigneeId", "int", { nullable: true, relation: "assignee", column: "assignee_id" }),
      ],
      [relation("assignee", "foreignKey", "User", "tickets", { nullable: true })],
    ),
  );
}

describe("index.d.ts", () => {
  it.each([
    ["bookstore", bookstore()],
    ["tickets", tickets()],
  ])("%s: names every export of every model's declarations, and no other", (_, ir) => {
    const files = emit(ir);
    const index = files.get("index.d.ts")!;
    expect(index).not.toMatch(/export \* from "\.\//);
    const models = [...files.keys()].filter((f) => f.endsWith(".d.ts") && f !== "index.d.ts");
    expect(models.length).toBe(ir.models.length);
    const declared = models.flatMap((f) => exported(f, files.get(f)!)).sort();
    expect(declared.length).toBeGreaterThan(ir.models.length * 10);
    expect(exported("index.d.ts", index)).toEqual(declared);
  });

  it("index.js and the TypeScript form keep export * (only declarations can name types)", () => {
    expect(emit(bookstore()).get("index.js")).toMatch(/^export \* from "\.\/author\.js";$/m);
    expect(emit(bookstore(), { language: "ts" }).get("index.ts")).toMatch(
      /^export \* from "\.\/author\.js";$/m,
    );
  });
});
