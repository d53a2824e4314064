/**
 * Password authentication on both Postgres drivers, against a private cluster that asks
 * connections over TCP for a SCRAM-SHA-256 password (pg_createcluster on a free loopback port,
 * dropped afterwards; the shared server at 127.0.0.1:5432 uses trust and is never touched).
 * A URL without the password is one ConnectionError saying so, on every driver.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError } from "../../../runtime/errors.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { freePort } from "../../support/free-port.js";
import { targets } from "../../support/targets.js";
import { within } from "./fault-helpers.js";

const version = readdirSync("/etc/postgresql").sort().at(-1) ?? "15";
const cluster = `yara_scram_${process.pid}`;
let port = 0;
const run = (file: string, args: readonly string[]) =>
  execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"] });

beforeAll(async () => {
  port = await freePort();
  run("pg_createcluster", [
    version,
    cluster,
    "-p",
    String(port),
    "--",
    "--auth-host=scram-sha-256",
    "--auth-local=trust",
  ]);
  run("pg_ctlcluster", ["--skip-systemctl-redirect", version, cluster, "start"]);
  run("psql", [
    "-h",
    "/var/run/postgresql",
    "-p",
    String(port),
    "-U",
    "postgres",
    "-c",
    "ALTER ROLE postgres PASSWORD 'yara-secret'",
  ]);
}, 60_000);

afterAll(async () => {
  await YaraOrm.close();
  run("pg_dropcluster", ["--stop", version, cluster]);
}, 60_000);

const drivers = targets()
  .filter((t) => t.dialect === "postgres")
  .map((t) => t.driver);

for (const driver of drivers) {
  describe(`SCRAM authentication (${driver})`, () => {
    it("connects with the password in the URL", async () => {
      await YaraOrm.init(`postgres://postgres:yara-secret@127.0.0.1:${port}/postgres`, { driver });
      const res = await YaraOrm.driver.query("SELECT current_user::text", []);
      expect(res.reader.text(0, 0)).toBe("postgres");
      await YaraOrm.close();
    });

    it("says the server asks for a password the URL does not have", async () => {
      const err = await within(
        YaraOrm.init(`postgres://postgres@127.0.0.1:${port}/postgres`, { driver }),
        10_000,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(
        new RegExp(`the server at 127\\.0\\.0\\.1:${port} asks for a password.*the URL has none`),
      );
      expect(YaraOrm.initialized).toBe(false);
    });

    it("reports a wrong password as the server's authentication failure", async () => {
      const err = await within(
        YaraOrm.init(`postgres://postgres:wrong@127.0.0.1:${port}/postgres`, { driver }),
        10_000,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/password authentication failed for user "postgres"/);
      expect(err).toMatchObject({ code: "28P01" });
    });
  });
}
