/**
 * Guarantee: TLS to Postgres does what its sslmode says, on the pg and the native driver, against
 * a real server. This file makes a throwaway CA, a server certificate (localhost, 127.0.0.1) and
 * client certificates with openssl, and starts two private clusters (pg_createcluster on free
 * ports, dropped afterwards): one TLS-only (`ssl = on`, pg_hba.conf has `hostssl` entries only —
 * `cert` authentication for the user yara_cert, trust for postgres), one plain-text-only
 * (`ssl = off`). Checked: `require` encrypts (pg_stat_ssl of the backend); `verify-full` with
 * `sslrootcert` connects with the right CA and host name and refuses another CA, a host name not
 * on the certificate and a plain-text server; client certificates (`sslcert` / `sslkey`)
 * authenticate where the server asks for them. Every refusal is a ConnectionError naming the
 * problem (a missing file is a ConfigurationError). Needs the Debian Postgres tools, openssl and
 * root, as CI has (.ci/run); without them the file fails, never skips.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "../../runtime/driver/driver.js";
import { ConfigurationError, ConnectionError } from "../../runtime/errors.js";
import { makeCertificates, type Certificates } from "../support/tls-certificates.js";
import { pgDriverKinds } from "./support/drivers.js";
import { createPrivateCluster, type PrivateCluster } from "./support/private-cluster.js";

const kinds = pgDriverKinds();
/** The user the TLS cluster authenticates by client certificate (`cert` in pg_hba.conf). */
const CERT_USER = "yara_cert";

let certs: Certificates;
let tlsCluster: PrivateCluster;
let plainCluster: PrivateCluster;

beforeAll(async () => {
  certs = makeCertificates();
  certs.ca("ca");
  certs.ca("other-ca");
  certs.server("server", "ca", ["localhost", "127.0.0.1"]);
  certs.server("elsewhere", "ca", ["db.yara.invalid"]);
  certs.client("client", "ca", CERT_USER);
  certs.client("stranger", "other-ca", CERT_USER);
  const made = await Promise.allSettled([
    createPrivateCluster("yara_tls", {
      config: serverTls("server"),
      hba:
        "local all all trust\n" +
        `hostssl all ${CERT_USER} 127.0.0.1/32 cert\n` +
        "hostssl all all 127.0.0.1/32 trust\n",
    }),
    createPrivateCluster("yara_plain", { config: "ssl = off" }),
  ]);
  if (made[0].status === "fulfilled") tlsCluster = made[0].value;
  if (made[1].status === "fulfilled") plainCluster = made[1].value;
  for (const m of made) if (m.status === "rejected") throw m.reason;
  // Over the Unix socket (`local … trust`): the role the client certificate names.
  const admin = new pg.Client({
    host: "/var/run/postgresql",
    port: tlsCluster.port,
    user: "postgres",
    database: "postgres",
  });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${CERT_USER} LOGIN`);
  } finally {
    await admin.end();
  }
}, 90_000);

afterAll(() => {
  try {
    tlsCluster?.drop();
    plainCluster?.drop();
  } finally {
    certs?.remove();
  }
}, 60_000);

/** postgresql.conf lines serving `<name>.crt` and asking clients for certificates of `ca`. */
function serverTls(name: string): string {
  return (
    `ssl = on\nssl_cert_file = '${certs.crt(name)}'\nssl_key_file = '${certs.key(name)}'\n` +
    `ssl_ca_file = '${certs.crt("ca")}'\nlisten_addresses = '127.0.0.1'\n`
  );
}

/** A URL for `cluster`, reached by `host`, with `params` (paths are filled in by name). */
function url(
  cluster: PrivateCluster,
  host: string,
  params: Record<string, string>,
  user = "postgres",
): URL {
  const u = new URL(`postgres://${user}@${host}:${cluster.port}/postgres`);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u;
}

const ca = (name = "ca") => ({ sslrootcert: certs.crt(name) });

/** Outcome of opening a driver and running `probe` on it, bounded; always closed. */
async function attempt<T>(
  open: () => Promise<Driver>,
  probe: (d: Driver) => Promise<T>,
): Promise<T | Error> {
  const run = async (): Promise<T> => {
    const d = await open();
    try {
      return await probe(d);
    } finally {
      await d.close();
    }
  };
  return Promise.race([
    run().catch((e: unknown) => e as Error),
    new Promise<Error>((r) =>
      setTimeout(() => r(new Error("hang: no answer within 10 s")), 10_000).unref(),
    ),
  ]);
}

interface Session {
  readonly ssl: boolean;
  readonly version: string | null;
  readonly user: string;
  readonly clientDn: string | null;
}

/** What the server says about this very connection (pg_stat_ssl for its backend pid). */
async function session(d: Driver): Promise<Session> {
  const r = await d.query(
    "SELECT s.ssl, s.version, current_user::text, s.client_dn FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()",
    [],
  );
  expect(r.rowCount).toBe(1);
  return {
    ssl: r.reader.boolean(0, 0),
    version: r.reader.isNull(1, 0) ? null : r.reader.text(1, 0),
    user: r.reader.text(2, 0),
    clientDn: r.reader.isNull(3, 0) ? null : r.reader.text(3, 0),
  };
}

/** pg (OpenSSL) and native (rustls) say a chain does not lead to the given CA in these words. */
const WRONG_CA =
  /self-signed certificate in certificate chain|unable to get local issuer|UnknownIssuer/;

function refused(r: unknown, pattern: RegExp): void {
  expect(r, String(r)).toBeInstanceOf(ConnectionError);
  expect((r as Error).message).toMatch(pattern);
}

for (const kind of kinds) {
  describe(`${kind.name} driver over TLS`, () => {
    const connect = (u: URL) => attempt(() => kind.open(u, { max: 1 }), session);

    it("sslmode=require encrypts: pg_stat_ssl shows TLS for the backend", async () => {
      const s = await connect(url(tlsCluster, "127.0.0.1", { sslmode: "require" }));
      expect(s).toMatchObject({ ssl: true, user: "postgres", clientDn: null });
      expect((s as Session).version).toMatch(/^TLSv1\.[23]$/);
    });

    it("sslmode=verify-full connects with the right CA and host name", async () => {
      const s = await connect(url(tlsCluster, "localhost", { sslmode: "verify-full", ...ca() }));
      expect(s).toMatchObject({ ssl: true, user: "postgres" });
      // verify-ca checks the chain only, so the address works too.
      const byAddress = await connect(
        url(tlsCluster, "127.0.0.1", { sslmode: "verify-ca", ...ca() }),
      );
      expect(byAddress).toMatchObject({ ssl: true });
    });

    it("sslmode=verify-full by an IP address on the certificate", async () => {
      const s = await connect(url(tlsCluster, "127.0.0.1", { sslmode: "verify-full", ...ca() }));
      if (kind.name === "pg") {
        expect(s).toMatchObject({ ssl: true });
      } else {
        // rustls 0.20 matches DNS names only; the native driver says so instead of connecting.
        refused(s, /names an IP address.*verify-ca/);
      }
    });

    it("refuses a server certificate signed by another CA", async () => {
      const full = await connect(
        url(tlsCluster, "localhost", { sslmode: "verify-full", ...ca("other-ca") }),
      );
      refused(full, WRONG_CA);
      // require with a root certificate verifies the chain, as libpq does.
      const required = await connect(
        url(tlsCluster, "localhost", { sslmode: "require", ...ca("other-ca") }),
      );
      refused(required, WRONG_CA);
    });

    it("refuses a plain-text server with verify-full and require, and is refused in plain text by a TLS-only one", async () => {
      for (const params of [{ sslmode: "verify-full", ...ca() }, { sslmode: "require" }]) {
        const r = await connect(url(plainCluster, "localhost", params));
        refused(r, /does not support (SSL|TLS)/i);
      }
      const plain = await connect(url(tlsCluster, "127.0.0.1", { sslmode: "disable" }));
      refused(plain, /no pg_hba\.conf entry.*no encryption/);
      expect(plain).toMatchObject({ code: "28000" });
    });

    it("authenticates by client certificate where the server asks for one", async () => {
      const withCert = { sslcert: certs.crt("client"), sslkey: certs.key("client") };
      const s = await connect(
        url(tlsCluster, "localhost", { sslmode: "verify-full", ...ca(), ...withCert }, CERT_USER),
      );
      expect(s).toMatchObject({ ssl: true, user: CERT_USER });
      expect((s as Session).clientDn).toMatch(new RegExp(`CN=${CERT_USER}`));
      // Without a certificate, the cert-authenticated user is refused, with the reason.
      const without = await connect(
        url(tlsCluster, "localhost", { sslmode: "verify-full", ...ca() }, CERT_USER),
      );
      refused(without, /certificate/i);
      expect(without).toMatchObject({ code: "28000" });
      // A certificate from a CA the server does not trust is refused during the handshake (in
      // TLS 1.3 the alert comes after the client's side of it ended): the alert, not "did not
      // answer as PostgreSQL", in the same words on both drivers.
      const stranger = await connect(
        url(
          tlsCluster,
          "localhost",
          {
            sslmode: "verify-full",
            ...ca(),
            sslcert: certs.crt("stranger"),
            sslkey: certs.key("stranger"),
          },
          CERT_USER,
        ),
      );
      refused(stranger, /refused our client certificate \(TLS alert: unknown ?CA\)/i);
      expect((stranger as Error).message).not.toMatch(/did not answer as PostgreSQL/);
    });

    it("names a missing CA, certificate or key file as a ConfigurationError", async () => {
      for (const param of ["sslrootcert", "sslcert", "sslkey"]) {
        const params: Record<string, string> = {
          sslmode: "verify-full",
          ...ca(),
          sslcert: certs.crt("client"),
          sslkey: certs.key("client"),
          [param]: `${certs.dir}/nope.pem`,
        };
        const r = await connect(url(tlsCluster, "localhost", params, CERT_USER));
        expect(r, String(r)).toBeInstanceOf(ConfigurationError);
        expect((r as Error).message).toMatch(new RegExp(`cannot read ${param} file`));
      }
    });
  });
}

describe("a server whose certificate is for another host name", () => {
  beforeAll(async () => {
    await swapServerCertificate("elsewhere");
  }, 30_000);
  afterAll(() => swapServerCertificate("server"), 30_000);

  for (const kind of kinds) {
    it(`${kind.name}: verify-full refuses it; verify-ca and require still connect`, async () => {
      const connect = (u: URL) => attempt(() => kind.open(u, { max: 1 }), session);
      const full = await connect(url(tlsCluster, "localhost", { sslmode: "verify-full", ...ca() }));
      refused(full, /does not match certificate's altnames|CertNotValidForName/);
      expect(
        await connect(url(tlsCluster, "localhost", { sslmode: "verify-ca", ...ca() })),
      ).toMatchObject({ ssl: true });
      expect(await connect(url(tlsCluster, "localhost", { sslmode: "require" }))).toMatchObject({
        ssl: true,
      });
    });
  }
});

/** Serves `<name>.crt` from now on (new connections see it). */
function swapServerCertificate(name: string): Promise<void> {
  return tlsCluster.reconfigure(serverTls(name));
}
