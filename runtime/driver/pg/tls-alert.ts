/**
 * A TLS alert the server sent, as OpenSSL reports it to node-postgres (`code`
 * "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA", …), in the words the native driver uses for the same alert
 * (native/src/pg/tls_error.rs): which of our credentials the server refused.
 */

const ALERT_CODE = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/;

const CLIENT_CERTIFICATE = new Set([
  "bad certificate",
  "unsupported certificate",
  "certificate revoked",
  "certificate expired",
  "certificate unknown",
  "access denied",
]);

const HANDSHAKE = new Set([
  "handshake failure",
  "protocol version",
  "insufficient security",
  "illegal parameter",
]);

/** The message for an alert the server at `address` sent, or undefined if `code` is none. */
export function tlsAlertMessage(code: string, address: string): string | undefined {
  const name = ALERT_CODE.exec(code)?.[1];
  if (name === undefined) return undefined;
  const words = name
    .toLowerCase()
    .replace(/_/g, " ")
    .replace(/\bca\b/, "CA");
  if (words === "unknown CA") {
    return (
      `the server at ${address} refused our client certificate (TLS alert: unknown CA): ` +
      "the CA that signed sslcert is not one the server trusts (its ssl_ca_file)"
    );
  }
  if (CLIENT_CERTIFICATE.has(words)) {
    return `the server at ${address} refused our client certificate (TLS alert: ${words})`;
  }
  if (words === "certificate required" || words === "no certificate") {
    return (
      `the server at ${address} asks for a client certificate and we sent none ` +
      `(TLS alert: ${words}): set sslcert and sslkey`
    );
  }
  if (HANDSHAKE.has(words)) {
    return `the server at ${address} refused the TLS handshake (TLS alert: ${words})`;
  }
  return `the server at ${address} ended the TLS session (TLS alert: ${words})`;
}
