/**
 * The native Postgres driver over TLS, against a TLS-only Postgres cluster this file starts
 * (pg_createcluster, `hostssl` as the only TCP entry in pg_hba.conf) with a throwaway CA and a
 * server certificate for "localhost" made by openssl; stopped and dropped afterwards. Needs the
 * Debian Postgres tools and root, as CI has (.ci/run); without them the file fails, never skips.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver } from "../../../runtime/driver/native/postgres.js";
import { ConfigurationError, ConnectionError } from "../../../runtime/errors.js";
import { freePort } from "../../support/free-port.js";
import { within } from "./fault-helpers.js";

const addon = loadNativeAddon();

function run(file: string, args: readonly string[]): void {
  execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** A CA, a second unrelated CA, and a "localhost" server certificate signed by the first. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => run("openssl", args);
  for (const ca of ["ca", "other-ca"]) {
    openssl(
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
      "-keyout", join(dir, `${ca}.key`), "-out", join(dir, `${ca}.crt`),
      "-subj", `/CN=yara test ${ca}`,
      "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ); // prettier-ignore
  }
  openssl(
    "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
    "-keyout", join(dir, "server.key"), "-out", join(dir, "server.csr"),
  ); // prettier-ignore
  writeFileSync(
    join(dir, "server.ext"),
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
      "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n",
  );
  openssl(
    "x509", "-req", "-days", "2", "-in", join(dir, "server.csr"),
    "-CA", join(dir, "ca.crt"), "-CAkey", join(dir, "ca.key"), "-CAcreateserial",
    "-out", join(dir, "server.crt"), "-extfile", join(dir, "server.ext"),
  ); // prettier-ignore
  // The server runs as postgres and refuses a key others can read.
  run("chown", ["postgres", join(dir, "server.key"), join(dir, "server.crt")]);
  chmodSync(join(dir, "server.key"), 0o600);
  chmodSync(dir, 0o755);
}

for (const native of addon === undefined ? [] : [addon]) {
  describe("native Postgres driver over TLS", () => {
    const version = readdirSync("/etc/postgresql").sort().at(-1) ?? "15";
    const cluster = `yara_tls_${process.pid}`;
    const dir = mkdtempSync(join(tmpdir(), "yara-tls-"));
    let port = 0;

    beforeAll(async () => {
      makeCertificates(dir);
      port = await freePort();
      run("pg_createcluster", [version, cluster, "-p", String(port), "--", "-A", "trust"]);
      const conf = `/etc/postgresql/${version}/${cluster}`;
      writeFileSync(
        `${conf}/conf.d/yara-tls.conf`,
        `ssl = on\nssl_cert_file = '${dir}/server.crt'\nssl_key_file = '${dir}/server.key'\n` +
          "listen_addresses = '127.0.0.1'\n",
      );
      writeFileSync(
        `${conf}/pg_hba.conf`,
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
      );
      run("pg_ctlcluster", ["--skip-systemctl-redirect", version, cluster, "start"]);
    }, 60_000);

    afterAll(() => {
      try {
        run("pg_dropcluster", ["--stop", version, cluster]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);

    const url = (host: string, query: string) =>
      new URL(`postgres://postgres@${host}:${port}/postgres?${query}`);

    /** Whether the connection is encrypted, and with which protocol. */
    async function tlsOf(u: URL): Promise<[boolean, string]> {
      const driver = await NativePgDriver.open(native, u, { max: 1 });
      try {
        const r = await driver.query(
          "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
          [],
        );
        return [r.reader.boolean(0, 0), r.reader.text(1, 0)];
      } finally {
        await driver.close();
      }
    }

    it("encrypts with sslmode=require without checking the certificate", async () => {
      expect(await tlsOf(url("127.0.0.1", "sslmode=require"))).toEqual([true, "TLSv1.3"]);
    });

    it("verifies the chain and the host name with sslmode=verify-full", async () => {
      const [ssl] = await tlsOf(url("localhost", `sslmode=verify-full&sslrootcert=${dir}/ca.crt`));
      expect(ssl).toBe(true);
      const [viaCa] = await tlsOf(url("127.0.0.1", `sslmode=verify-ca&sslrootcert=${dir}/ca.crt`));
      expect(viaCa).toBe(true);
    });

    it("refuses a server whose certificate the given CA did not sign, or another host name", async () => {
      const stranger = await within(
        tlsOf(url("localhost", `sslmode=verify-full&sslrootcert=${dir}/other-ca.crt`)),
      );
      expect(stranger).toBeInstanceOf(ConnectionError);
      expect((stranger as Error).message).toMatch(/UnknownIssuer/);
      const byAddress = await within(
        tlsOf(url("127.0.0.1", `sslmode=verify-full&sslrootcert=${dir}/ca.crt`)),
      );
      expect(byAddress).toBeInstanceOf(ConnectionError);
      expect((byAddress as Error).message).toMatch(/host name/);
      // require with a root certificate verifies the chain, as libpq does.
      const required = await within(
        tlsOf(url("localhost", `sslmode=require&sslrootcert=${dir}/other-ca.crt`)),
      );
      expect(required).toBeInstanceOf(ConnectionError);
    });

    it("is refused in plain text by a TLS-only server, and names a missing CA file", async () => {
      const plain = await within(tlsOf(url("127.0.0.1", "sslmode=disable")));
      expect(plain).toBeInstanceOf(ConnectionError);
      expect(plain).toMatchObject({ code: "28000" });
      const missing = await within(
        tlsOf(url("localhost", `sslmode=verify-full&sslrootcert=${dir}/nope.crt`)),
      );
      expect(missing).toBeInstanceOf(ConfigurationError);
      expect((missing as Error).message).toMatch(/cannot read sslrootcert file/);
    });
  });
}
