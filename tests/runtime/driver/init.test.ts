/** YaraOrm.init: URLs, options and drivers, and the errors a user gets when one is wrong. */
import { afterEach, describe, expect, it } from "vitest";
import { checkInitOptions, parseDatabaseUrl } from "../../../runtime/config.js";
import { pgSettings } from "../../../runtime/driver/pg/config.js";
import { ConfigurationError, ConnectionError } from "../../../runtime/errors.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { currentDriver, inTransaction } from "../../../runtime/transaction.js";
import { pgUrl, targets } from "../../support/targets.js";

afterEach(async () => {
  await YaraOrm.close();
});

describe("database URLs", () => {
  it("reads SQLite URLs", () => {
    expect(parseDatabaseUrl("sqlite://:memory:")).toEqual({
      dialect: "sqlite",
      filename: ":memory:",
    });
    expect(parseDatabaseUrl("sqlite:///abs/path.db")).toEqual({
      dialect: "sqlite",
      filename: "/abs/path.db",
    });
    expect(parseDatabaseUrl("sqlite://./app.db")).toEqual({
      dialect: "sqlite",
      filename: `${process.cwd()}/app.db`,
    });
  });

  it("reads Postgres URLs with either scheme", () => {
    for (const scheme of ["postgres", "postgresql"]) {
      const target = parseDatabaseUrl(`${scheme}://user:pw@db.example:6543/app?sslmode=require`);
      expect(target.dialect).toBe("postgres");
    }
  });

  it.each([
    ["", /needs a database URL/],
    ["mssql://localhost/db", /unsupported database URL scheme/],
    ["mysql://localhost", /names no database/],
    ["app.db", /unsupported database URL scheme/],
    ["sqlite://", /names no file/],
    ["postgres://localhost", /names no database/],
    ["sqlite://x.db?mode=ro", /no query parameters/],
  ])("rejects %j", (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(ConfigurationError);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });

  it("never echoes a password", () => {
    expect(() => parseDatabaseUrl("mssql://u:hunter2@h/db")).toThrow(/u:\*\*\*@h/);
    expect(() => parseDatabaseUrl("mysql://u:hunter2@h")).toThrow(/u:\*\*\*@h/);
  });
});

describe("Postgres settings", () => {
  const settings = (query: string) =>
    pgSettings(new URL(`postgres://u:p%40ss@h:6000/d%20b?${query}`), {
      max: 3,
      min: 1,
      acquireTimeoutMs: 500,
      idleTimeoutMs: 2000,
    });

  it("maps URL parts, pool options and the UTC session", () => {
    const { config, address } = settings("application_name=app");
    expect(config).toMatchObject({
      host: "h",
      port: 6000,
      user: "u",
      password: "p@ss",
      database: "d b",
      max: 3,
      min: 1,
      connectionTimeoutMillis: 500,
      idleTimeoutMillis: 2000,
      application_name: "app",
      ssl: false,
    });
    expect(config.options).toContain("-c TimeZone=UTC");
    expect(address).toBe("h:6000");
  });

  it("honours sslmode", () => {
    expect(settings("sslmode=disable").config.ssl).toBe(false);
    expect(settings("sslmode=require").config.ssl).toEqual({ rejectUnauthorized: false });
    expect(settings("sslmode=prefer").config.ssl).toEqual({ rejectUnauthorized: false });
    expect(settings("sslmode=verify-ca").config.ssl).toMatchObject({ rejectUnauthorized: true });
    expect(settings("sslmode=verify-full").config.ssl).toEqual({ rejectUnauthorized: true });
    expect(() => settings("sslmode=sometimes")).toThrow(/unknown sslmode "sometimes"/);
    expect(() => settings("sslrootcert=/nonexistent/ca.pem&sslmode=verify-full")).toThrow(
      /cannot read sslrootcert/,
    );
  });

  it("appends extra session options and rejects unknown parameters", () => {
    expect(settings("options=-c%20search_path%3Dx").config.options).toMatch(
      /TimeZone=UTC.* -c search_path=x$/,
    );
    expect(() => settings("sslmod=require")).toThrow(/unsupported Postgres URL parameter "sslmod"/);
  });
});

describe("YaraOrm.init options", () => {
  it.each([
    [{ drvier: "pg" }, /unknown YaraOrm.init option "drvier"/],
    [{ driver: "mysql" }, /unknown driver "mysql"/],
    [{ pool: { maxSize: 3 } }, /unknown pool option "maxSize"/],
    [{ pool: { max: 0 } }, /pool.max must be an integer >= 1/],
    [{ pool: { max: 2, min: 5 } }, /pool.min \(5\) must not exceed pool.max \(2\)/],
    [{ log: "yes" }, /log option must be a function/],
  ])("rejects %j", (options, message) => {
    expect(() => checkInitOptions(options)).toThrow(message);
  });

  it("rejects a driver that cannot speak the URL's dialect", async () => {
    await expect(YaraOrm.init("sqlite://:memory:", { driver: "pg" })).rejects.toThrow(
      /driver "pg" cannot open a sqlite database/,
    );
    await expect(YaraOrm.init(pgUrl(), { driver: "better-sqlite3" })).rejects.toThrow(
      ConfigurationError,
    );
  });

  // Without the addon ("native" requested: a ConfigurationError; unset: the JavaScript driver)
  // see tests/runtime/driver/native-fallback.test.ts, which runs in a process without it.
  it("defaults to the native driver when built, else the JavaScript driver of the URL's dialect", async () => {
    const native = (dialect: string): boolean =>
      targets().some((t) => t.dialect === dialect && t.driver === "native");
    await YaraOrm.init("sqlite://:memory:");
    expect(YaraOrm.driver.name).toBe(native("sqlite") ? "native" : "better-sqlite3");
    await YaraOrm.close();
    await YaraOrm.init(pgUrl());
    expect(YaraOrm.driver.name).toBe(native("postgres") ? "native" : "pg");
  });

  it("refuses a second init until close", async () => {
    await YaraOrm.init("sqlite://:memory:");
    await expect(YaraOrm.init("sqlite://:memory:")).rejects.toThrow(/already initialised/);
    await YaraOrm.close();
    await YaraOrm.close(); // idempotent
    // After close, a statement is told why there is no database.
    expect(() => currentDriver()).toThrow(
      "no database: YaraOrm.close() closed the connections (a statement, or the next chunk of a stream, came after it); call YaraOrm.init again first",
    );
    await YaraOrm.init("sqlite://:memory:");
  });

  it("asks for init before any statement", async () => {
    expect(() => currentDriver()).toThrow(/call YaraOrm.init/);
    expect(() => YaraOrm.driver).toThrow(ConfigurationError);
    await expect(inTransaction(async () => 1)).rejects.toThrow(ConfigurationError);
  });
});

describe("connection failures", () => {
  it("reports an unreachable server as a ConnectionError naming it", async () => {
    const err = await YaraOrm.init("postgres://root@127.0.0.1:1/test", {
      pool: { acquireTimeoutMs: 2000 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe("ECONNREFUSED");
    expect((err as Error).message).toContain("127.0.0.1:1");
    expect(YaraOrm.initialized).toBe(false);
  });

  it("reports an unknown database as a ConnectionError", async () => {
    const url = new URL(pgUrl());
    url.pathname = "/yara_no_such_database";
    await expect(YaraOrm.init(url.toString())).rejects.toMatchObject({
      name: "ConnectionError",
      code: "3D000",
    });
  });

  it("sslmode=prefer falls back to plain TCP; require fails clearly on a server without TLS", async () => {
    const ssl = await (async () => {
      const url = new URL(pgUrl());
      url.searchParams.set("sslmode", "prefer");
      await YaraOrm.init(url.toString());
      const res = await YaraOrm.driver.query(
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        [],
      );
      await YaraOrm.close();
      return res.reader.boolean(0, 0);
    })();
    const require = new URL(pgUrl());
    require.searchParams.set("sslmode", "require");
    const attempt = YaraOrm.init(require.toString());
    if (ssl)
      await attempt; // the server has TLS: require connects
    else await expect(attempt).rejects.toThrow(ConnectionError);
  });

  it("reports an unopenable SQLite file as a ConnectionError", async () => {
    await expect(YaraOrm.init("sqlite:///nonexistent-dir/x/app.db")).rejects.toThrow(
      ConnectionError,
    );
  });
});
