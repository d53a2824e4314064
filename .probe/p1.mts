import { PgDriver } from "../runtime/driver/pg/driver.js";
import { BetterSqliteDriver } from "../runtime/driver/better-sqlite3/driver.js";
process.on("unhandledRejection", (e) => console.log("UNHANDLED", e));
const url = new URL("postgres://root@127.0.0.1:5432/test");
const t = (p: Promise<unknown>, ms = 3000) => Promise.race([p.then((v) => ["ok", v], (e) => ["err", e?.constructor?.name, e?.message, e?.code]), new Promise((r) => setTimeout(() => r(["HANG"]), ms))]);
const d = await PgDriver.open(url, { max: 1 });
const admin = await PgDriver.open(url, { max: 1 });
const pid = (await d.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
await admin.query("SELECT pg_terminate_backend($1)", [pid]);
console.log("after kill idle", await t(d.query("SELECT 1", [])), await t(d.query("SELECT 1", [])));
await new Promise((r) => setTimeout(r, 100));
const pid2 = (await d.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
await admin.query("SELECT pg_terminate_backend($1)", [pid2]);
await new Promise((r) => setTimeout(r, 100));
console.log("after kill idle + wait", await t(d.query("SELECT 1", [])));
console.log("stmt timeout", await t(d.transaction(async (c) => { await c.execute("SET LOCAL statement_timeout = 50", []); await c.query("SELECT pg_sleep(1)", []); })));
console.log("40001", await t(d.query("DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40001', DETAIL = 'secret'; END $$", [])));
// close with pending waiter
const d2 = await PgDriver.open(url, { max: 1 });
let release: () => void = () => {};
const tx = d2.transaction(async () => { await new Promise<void>((r) => (release = r)); });
await new Promise((r) => setTimeout(r, 50));
const waiting = t(d2.query("SELECT 1", []), 2000);
await new Promise((r) => setTimeout(r, 50));
const closing = t(d2.close(), 2000);
release();
console.log("tx", await t(tx), "waiter", await waiting, "close", await closing);
// exhaustion
const d3 = await PgDriver.open(url, { max: 1, acquireTimeoutMs: 200 });
let rel3: () => void = () => {};
const tx3 = d3.transaction(async () => { await new Promise<void>((r) => (rel3 = r)); });
await new Promise((r) => setTimeout(r, 50));
console.log("exhaust", await t(d3.query("SELECT 1", [])));
rel3(); await tx3; await d3.close();
// sqlite reentrancy
const s = await BetterSqliteDriver.open({ filename: ":memory:" });
console.log("sqlite reentrant", await t(s.transaction(async () => s.query("SELECT 1", [])), 1000));
await d.close(); await admin.close();
process.exit(0);
