/**
 * Throwaway certificates for the TLS tests, made with `openssl` in a fresh temp directory: a CA,
 * an unrelated second CA, server certificates signed by the first, and client certificates.
 * Keys a Postgres server reads are handed to the postgres user (the server refuses a key others
 * can read). `remove()` deletes the directory.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Certificates {
  readonly dir: string;
  /** `<dir>/<name>.crt` / `.key`. */
  crt(name: string): string;
  key(name: string): string;
  /** A CA (self-signed, `CA:TRUE`). */
  ca(name: string): void;
  /** A server certificate signed by `ca`, for `names` (DNS names and IP addresses). */
  server(name: string, ca: string, names: readonly string[]): void;
  /** A client certificate signed by `ca` with `CN=<commonName>` (the Postgres user). */
  client(name: string, ca: string, commonName: string): void;
  remove(): void;
}

export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), "yara-tls-"));
  chmodSync(dir, 0o755); // the server, running as postgres, reads its files here
  const crt = (name: string) => join(dir, `${name}.crt`);
  const key = (name: string) => join(dir, `${name}.key`);
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });

  function signed(name: string, ca: string, subject: string, extensions: string): void {
    openssl(
      "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
      "-keyout", key(name), "-out", join(dir, `${name}.csr`),
    ); // prettier-ignore
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl(
      "x509", "-req", "-days", "2", "-in", join(dir, `${name}.csr`),
      "-CA", crt(ca), "-CAkey", key(ca), "-CAcreateserial",
      "-out", crt(name), "-extfile", join(dir, `${name}.ext`),
    ); // prettier-ignore
  }

  return {
    dir,
    crt,
    key,
    ca: (name) =>
      openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", key(name), "-out", crt(name), "-subj", `/CN=yara test ${name}`,
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      ), // prettier-ignore
    server: (name, ca, names) => {
      const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
      signed(
        name,
        ca,
        `/CN=${names[0]}`,
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
          `extendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
      );
      execFileSync("chown", ["postgres", key(name), crt(name)]);
      chmodSync(key(name), 0o600);
    },
    client: (name, ca, commonName) => {
      signed(
        name,
        ca,
        `/CN=${commonName}`,
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
          "extendedKeyUsage=clientAuth\n",
      );
      chmodSync(key(name), 0o600);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
