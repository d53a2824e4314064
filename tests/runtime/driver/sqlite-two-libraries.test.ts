/**
 * One SQLite library per file per process (runtime/driver/sqlite-file-owner.ts): the native
 * engine and better-sqlite3 each carry their own SQLite, and a file closed in one copy loses the
 * locks the other holds on it, so another process can write in the middle of a transaction.
 * yara refuses to open a file through the second library, before it touches the file.
 */
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BetterSqliteDriver } from "../../../runtime/driver/better-sqlite3/driver.js";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativeSqliteDriver } from "../../../runtime/driver/native/sqlite.js";

const addon = loadNativeAddon();
if (addon === undefined)
  throw new Error("these tests need the native engine (npm run build:native)");
const native = (filename: string) => NativeSqliteDriver.open(addon, { filename });
const fallback = (filename: string) => BetterSqliteDriver.open({ filename });

const dir = mkdtempSync(join(tmpdir(), "yara-two-libraries-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = (): string => join(dir, `db${++files}.sqlite`);

/** Whether another process can take the write lock of `file` right now (no waiting). */
function otherProcessCanWrite(file: string): boolean {
  const script =
    `const D = require("better-sqlite3"); const d = new D(${JSON.stringify(file)}, { timeout: 0 });` +
    `try { d.exec("BEGIN IMMEDIATE"); d.exec("ROLLBACK"); process.stdout.write("yes"); }` +
    `catch (e) { if (e.code !== "SQLITE_BUSY") throw e; process.stdout.write("no"); }`;
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }) === "yes";
}

const SECOND_COPY =
  /carries another copy of SQLite: closing a file in one copy drops the other's locks/;

describe("one SQLite library per database file", () => {
  it("refuses the other driver on a file one driver has open, naming the driver to use", async () => {
    const file = newFile();
    const first = native(file);
    await first.execute("CREATE TABLE t (x)", []);
    await expect(fallback(file)).rejects.toMatchObject({
      name: "ConfigurationError",
      message: expect.stringMatching(/is open through native in this process/),
    });
    await expect(fallback(file)).rejects.toThrow(SECOND_COPY);
    await expect(fallback(file)).rejects.toThrow(/\{ driver: "native" \}/);
    // The same library twice is one copy: SQLite shares its locks between the connections.
    const second = native(file);
    await second.execute("INSERT INTO t VALUES (1)", []);
    await second.close();
    await first.execute("INSERT INTO t VALUES (2)", []);
    await first.close();
    // Closed: the file is free for the other library.
    const other = await fallback(file);
    expect((await other.query("SELECT count(*) FROM t", [])).reader.int(0, 0)).toBe(2);
    expect(() => native(file)).toThrow(/is open through better-sqlite3 in this process/);
    await other.close();
    (await native(file)).close();
  });

  it("sees the same file through a symbolic link", async () => {
    const file = newFile();
    const link = join(dir, `link${files}.sqlite`);
    const first = await fallback(file);
    await first.execute("CREATE TABLE t (x)", []);
    symlinkSync(file, link);
    expect(() => native(link)).toThrow(SECOND_COPY);
    await first.close();
  });

  it("refuses the native engine on a file the app holds open through better-sqlite3 itself", async () => {
    const file = newFile();
    const app = new Database(file);
    app.pragma("journal_mode = WAL");
    app.exec("CREATE TABLE t (x)");
    // A write transaction: its lock keeps every other process out.
    app.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)");
    expect(otherProcessCanWrite(file)).toBe(false);
    expect(() => native(file)).toThrow(/already open in this process outside yara's native engine/);
    expect(() => native(file)).toThrow(/\{ driver: "better-sqlite3" \}/);
    // Refused before the file was opened: the app's lock still holds (opening and closing it in
    // the engine's copy of SQLite would have dropped it, and the other process would now write).
    expect(otherProcessCanWrite(file)).toBe(false);
    app.exec("COMMIT");
    // better-sqlite3 through yara is the app's own copy: allowed while the app has the file open.
    const same = await fallback(file);
    expect((await same.query("SELECT count(*) FROM t", [])).reader.int(0, 0)).toBe(1);
    await same.close();
    app.close();
    expect(otherProcessCanWrite(file)).toBe(true);
    (await native(file)).close();
  });

  it("leaves :memory: databases alone", async () => {
    const a = native(":memory:");
    const b = await fallback(":memory:");
    await a.close();
    await b.close();
  });
});
