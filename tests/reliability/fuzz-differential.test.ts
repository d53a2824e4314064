/**
 * Guarantee: a query means the same on every database and driver. A seeded, bounded
 * property-based test (fast-check, 200 runs; 50 under `npm test`) generates Item rows and filter / exclude / Q /
 * orderBy / limit chains, runs each through the generated model on SQLite and Postgres (every
 * driver) and checks that all of them return what an in-memory reference evaluator says
 * (support/fuzz-case.ts). A failure is shrunk to a minimal case and saved as JSON under
 * ./regressions, which this file replays on every run before fuzzing.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../runtime/config.js";
import { schemaStatements } from "../../runtime/dialect/ddl.js";
import type { Driver } from "../../runtime/driver/driver.js";
import { openDriver } from "../../runtime/driver/open.js";
import { registeredModels } from "../../runtime/registry.js";
import { setRootDriver } from "../../runtime/transaction.js";
import "../features/generated/index.js";
import { isolate, targets, type IsolatedDatabase } from "../support/targets.js";
import { arbitraryCase, evaluate, loadRows, runCase, type FuzzCase } from "./support/fuzz-case.js";
import {
  arbitraryLookupCase,
  evaluateLookups,
  loadLookupRows,
  runLookupCase,
  type LookupCase,
} from "./support/fuzz-lookups.js";
import { reliabilitySize } from "./support/sizes.js";

const SEED = 20_261_124;
/** 200 under `npm run test:full`, 50 under `npm test` (support/sizes.ts). */
const RUNS = reliabilitySize("YARA_FUZZ_RUNS", 50, 200);
const regressions = fileURLToPath(new URL("./regressions/", import.meta.url));

interface Opened {
  readonly name: string;
  readonly driver: Driver;
  readonly db: IsolatedDatabase;
}

/** What every target returns for `c`, keyed by target name, plus the reference's answer. */
async function answers(opened: readonly Opened[], c: FuzzCase): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { reference: evaluate(c) };
  for (const o of opened) {
    setRootDriver(o.driver);
    try {
      await loadRows(c);
      out[o.name] = await runCase(c);
    } catch (err) {
      out[o.name] = `${(err as Error).name}: ${(err as Error).message}`;
    } finally {
      setRootDriver(undefined);
    }
  }
  return out;
}

function agree(all: Record<string, unknown>): boolean {
  const want = JSON.stringify(all.reference);
  return Object.values(all).every((v) => JSON.stringify(v) === want);
}

describe("differential fuzzing: SQLite, Postgres and a reference evaluator agree", () => {
  const opened: Opened[] = [];
  beforeAll(async () => {
    for (const t of targets()) {
      const db = await isolate(t);
      const driver = await openDriver(parseDatabaseUrl(db.url), { driver: t.driver });
      const ddl = schemaStatements(
        registeredModels().map((m) => m.meta),
        driver.dialect,
      );
      await driver.transaction(async (conn) => {
        for (const sql of ddl) await conn.execute(sql, []);
      });
      opened.push({ name: t.name, driver, db });
    }
  });
  afterAll(async () => {
    for (const o of opened) {
      await o.driver.close();
      await o.db.dispose();
    }
  });

  for (const file of readdirSync(regressions).filter((f) => f.endsWith(".json"))) {
    it(`regression ${file}`, async () => {
      const c = JSON.parse(readFileSync(regressions + file, "utf8")) as FuzzCase;
      const all = await answers(opened, c);
      for (const [name, rows] of Object.entries(all)) expect(rows, name).toEqual(all.reference);
    });
  }

  it(`agrees on ${RUNS} seeded random cases (seed ${SEED})`, async () => {
    const result = await fc.check(
      fc.asyncProperty(arbitraryCase, async (c) => agree(await answers(opened, c))),
      { seed: SEED, numRuns: RUNS },
    );
    if (result.failed && result.counterexample !== null) {
      const [c] = result.counterexample;
      const json = JSON.stringify(c, null, 2);
      const file = `fuzz-${SEED}-${createHash("sha1").update(json).digest("hex").slice(0, 8)}.json`;
      writeFileSync(regressions + file, json + "\n");
      // Shows each target's answer beside the reference's for the shrunk case.
      const all = await answers(opened, c);
      for (const [name, rows] of Object.entries(all)) {
        expect(rows, `${name}; shrunk case saved as regressions/${file}`).toEqual(all.reference);
      }
    }
    expect(result.failed, String(result.errorInstance)).toBe(false);
    expect(result.numRuns).toBe(RUNS);
  }, 240_000);
});

// ---- lookups: regex, iregex and date parts (support/fuzz-lookups.ts) -------------------------

describe("differential fuzzing of regex and date-part lookups", () => {
  const opened: Opened[] = [];
  beforeAll(async () => {
    for (const t of targets()) {
      const db = await isolate(t);
      const driver = await openDriver(parseDatabaseUrl(db.url), { driver: t.driver });
      const ddl = schemaStatements(
        registeredModels().map((m) => m.meta),
        driver.dialect,
      );
      await driver.transaction(async (conn) => {
        for (const sql of ddl) await conn.execute(sql, []);
      });
      opened.push({ name: t.name, driver, db });
    }
  });
  afterAll(async () => {
    for (const o of opened) {
      await o.driver.close();
      await o.db.dispose();
    }
  });

  async function lookupAnswers(c: LookupCase): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { reference: evaluateLookups(c) };
    for (const o of opened) {
      setRootDriver(o.driver);
      try {
        await loadLookupRows(c);
        out[o.name] = await runLookupCase(c);
      } catch (err) {
        out[o.name] = `${(err as Error).name}: ${(err as Error).message}`;
      } finally {
        setRootDriver(undefined);
      }
    }
    return out;
  }

  it(`agrees on ${RUNS} seeded random lookup cases (seed ${SEED})`, async () => {
    const result = await fc.check(
      fc.asyncProperty(arbitraryLookupCase, async (c) => agree(await lookupAnswers(c))),
      { seed: SEED, numRuns: RUNS },
    );
    if (result.failed && result.counterexample !== null) {
      const [c] = result.counterexample;
      for (const [name, ids] of Object.entries(await lookupAnswers(c)))
        expect(ids, `${name} for ${JSON.stringify(c)}`).toEqual(evaluateLookups(c));
    }
    expect(result.failed, String(result.errorInstance)).toBe(false);
    expect(result.numRuns).toBe(RUNS);
  }, 240_000);
});
