/**
 * What the read-back path (runtime/model/insert-read-back.ts) refuses before sending anything:
 * a primary key the database fills other than by AUTO_INCREMENT cannot be found again.
 * Its statements run in tests/features/insert-read-back.test.ts.
 */
import { describe, expect, it } from "vitest";
import { mysqlDialectFor } from "../../runtime/dialect/mysql/flavour.js";
import { NotSupportedError } from "../../runtime/errors.js";
import { insertReadBack } from "../../runtime/model/insert-read-back.js";
import type { ModelManager } from "../../runtime/model/manager.js";
import type { FieldMeta } from "../../runtime/model/meta.js";

const dialect = mysqlDialectFor({
  returning: false,
  autoincLockMode: 1,
  autoIncrementIncrement: 1,
});

function managerOf(pk: Partial<FieldMeta>, title: Partial<FieldMeta>): ModelManager<never> {
  const fields = [
    { name: "id", column: "id", pk: true, generated: false, nullable: false, ...pk },
    { name: "title", column: "title", pk: false, generated: false, nullable: false, ...title },
  ];
  let sent = 0;
  const driver = {
    dialect,
    query: () => Promise.reject(new Error(`sent ${++sent}`)),
    execute: () => Promise.reject(new Error(`sent ${++sent}`)),
  };
  return {
    meta: { name: "Doc", table: "doc", pk: "id", fields },
    writeDriver: () => driver,
  } as unknown as ModelManager<never>;
}

describe("insertReadBack refusals", () => {
  it("a key the database fills by dbDefault cannot be read back", async () => {
    const manager = managerOf({ kind: "uuid", dbDefault: { function: "uuid" } } as never, {
      kind: "char",
    });
    const title = manager.meta.fields[1]!;
    const err = await insertReadBack(manager, [{ fields: [title], values: ["t"] }], undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotSupportedError);
    expect((err as NotSupportedError).dialect).toBe("mysql");
    expect((err as Error).message).toBe(
      "Doc.id is filled by the database (dbDefault), and this MySQL server has no INSERT … RETURNING to read it back: give the key a value, or a default yara computes",
    );
  });

  it("skipping conflicting rows is refused, and so is an update of no fields", async () => {
    const manager = managerOf({ kind: "int", generated: true }, { kind: "char" });
    const title = manager.meta.fields[1]!;
    const rows = [{ fields: [title], values: ["t"] }];
    for (const clause of [
      { action: "nothing", target: ["title"] },
      { action: "update", target: ["title"], set: [] },
    ] as const) {
      const err = await insertReadBack(manager, rows, clause).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(NotSupportedError);
      expect((err as Error).message).toMatch(/^Doc: skipping conflicting rows .* on MySQL: /);
    }
  });
});
