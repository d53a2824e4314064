/**
 * A TLS alert from the server, as node-postgres reports it (OpenSSL's error code), becomes a
 * ConnectionError in the native driver's words (native/src/pg/tls_error.rs): which credential
 * the server refused. The real handshake is in tests/reliability/tls.test.ts.
 */
import { describe, expect, it } from "vitest";
import { mapPgError } from "../../../runtime/driver/pg/errors.js";
import { tlsAlertMessage } from "../../../runtime/driver/pg/tls-alert.js";
import { ConnectionError } from "../../../runtime/errors.js";

/** An error as node's TLS socket gives it to node-postgres. */
function openSslError(code: string, reason: string): Error {
  return Object.assign(new Error(`0A000418:SSL routines:ssl3_read_bytes:${reason}`), { code });
}

describe("TLS alerts from the server on the pg driver", () => {
  it("names the refused client certificate and the alert", () => {
    const err = mapPgError(
      openSslError("ERR_SSL_TLSV1_ALERT_UNKNOWN_CA", "tlsv1 alert unknown ca"),
      "db:5432",
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toBe(
      "the server at db:5432 refused our client certificate (TLS alert: unknown CA): " +
        "the CA that signed sslcert is not one the server trusts (its ssl_ca_file)",
    );
    expect(err).toMatchObject({ code: "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA" });
    expect(tlsAlertMessage("ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE", "db:5432")).toBe(
      "the server at db:5432 refused our client certificate (TLS alert: bad certificate)",
    );
  });

  it("says a missing certificate, a refused handshake and other alerts apart", () => {
    expect(tlsAlertMessage("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", "h:1")).toBe(
      "the server at h:1 asks for a client certificate and we sent none " +
        "(TLS alert: certificate required): set sslcert and sslkey",
    );
    expect(tlsAlertMessage("ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", "h:1")).toBe(
      "the server at h:1 refused the TLS handshake (TLS alert: handshake failure)",
    );
    expect(tlsAlertMessage("ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR", "h:1")).toBe(
      "the server at h:1 ended the TLS session (TLS alert: internal error)",
    );
  });

  it("leaves other TLS errors to the general mapping", () => {
    expect(tlsAlertMessage("ERR_SSL_WRONG_VERSION_NUMBER", "h:1")).toBeUndefined();
    expect(tlsAlertMessage("ECONNRESET", "h:1")).toBeUndefined();
    const err = mapPgError(
      openSslError("ERR_SSL_WRONG_VERSION_NUMBER", "wrong version number"),
      "h:1",
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/^cannot use the connection to Postgres at h:1: .*wrong version/);
  });
});
