//! tokio-postgres errors → `DbError`. A server error keeps its SQLSTATE, constraint, table,
//! column and detail (the runtime decides what reaches a message: runtime/driver/pg/errors.ts
//! drops quoted values). A broken or unreachable connection is a Connection error naming the
//! server, with the socket error's errno name as its code where there is one (ECONNREFUSED, …)
//! so it reads as node-postgres' does.

use std::error::Error as _;
use std::io;

use super::tls_error::{tls_error_in, tls_failure};
use crate::error::{DbError, ErrorKind};

/// Maps an error of a statement or connection attempt against the server at `address`.
pub fn map_error(err: &tokio_postgres::Error, address: &str) -> DbError {
    if let Some(db) = err.as_db_error() {
        let mut out = DbError::new(ErrorKind::Database, db.message()).with_code(db.code().code());
        out.constraint = db.constraint().map(str::to_string);
        out.table = db.table().map(str::to_string);
        out.column = db.column().map(str::to_string);
        out.detail = db.detail().map(str::to_string);
        return out;
    }
    let io = find_io_error(err);
    let reason = match io {
        Some(io) => io.to_string(),
        None => err.to_string(),
    };
    let mut out = DbError::new(
        ErrorKind::Connection,
        format!("cannot use the connection to Postgres at {address}: {reason}"),
    );
    out.code = io.and_then(errno_name).map(str::to_string);
    out
}

/// Maps an error of opening a connection to `address`: what `map_error` says, in plain words
/// for the common mistakes — nothing listening on the port, something other than Postgres
/// listening on it (whose bytes tokio-postgres can only call "bytes remaining on stream",
/// "unknown message tag", …), and TLS refused (an alert from the server, a server certificate
/// we do not accept).
pub fn map_connect_error(err: &tokio_postgres::Error, address: &str) -> DbError {
    if err.as_db_error().is_some() {
        return map_error(err, address);
    }
    let io = find_io_error(err);
    match classify_connect_failure(&err.to_string(), io) {
        ConnectFailure::Refused => refused_error(address),
        ConnectFailure::Tls(tls) => tls_failure(tls, address),
        ConnectFailure::NotPostgres => DbError::new(
            ErrorKind::Connection,
            format!(
                "the server at {address} did not answer as PostgreSQL: check the host and port \
                 (is another service listening there?)"
            ),
        )
        .with_code("EPROTO"),
        ConnectFailure::Other => map_error(err, address),
    }
}

/// Maps a failure to open the socket itself (`event_loop::connect`), as `map_connect_error`
/// words the same failure met inside tokio-postgres.
pub fn map_socket_error(io: &io::Error, address: &str) -> DbError {
    if io.kind() == io::ErrorKind::ConnectionRefused {
        return refused_error(address);
    }
    let mut out = DbError::new(
        ErrorKind::Connection,
        format!("cannot use the connection to Postgres at {address}: {io}"),
    );
    out.code = errno_name(io).map(str::to_string);
    out
}

fn refused_error(address: &str) -> DbError {
    DbError::new(
        ErrorKind::Connection,
        format!("nothing is listening on {address} (connection refused)"),
    )
    .with_code("ECONNREFUSED")
}

/// What made a connection attempt fail, as far as its words need to say.
#[derive(Debug)]
enum ConnectFailure<'a> {
    Refused,
    /// rustls failed: the server sent an alert, or we refused its certificate.
    Tls(&'a rustls::Error),
    /// The server's bytes are not the Postgres protocol.
    NotPostgres,
    Other,
}

/// Classifies a failed connection attempt by tokio-postgres' text of it (`text`) and the
/// `io::Error` below it. TLS comes first: rustls turns an alert or a bad record into an
/// `InvalidData` error of the stream, the same kind the protocol decoder uses for bytes it
/// cannot read, so only an `io::Error` that carries no rustls error can mean "not Postgres".
fn classify_connect_failure<'a>(text: &str, io: Option<&'a io::Error>) -> ConnectFailure<'a> {
    let Some(io) = io else {
        return if text.starts_with("unexpected message from server")
            || text.starts_with("error parsing response from server")
        {
            ConnectFailure::NotPostgres
        } else {
            ConnectFailure::Other
        };
    };
    if let Some(tls) = tls_error_in(io) {
        return ConnectFailure::Tls(tls);
    }
    if io.kind() == io::ErrorKind::ConnectionRefused {
        return ConnectFailure::Refused;
    }
    if is_not_postgres(text, io) {
        ConnectFailure::NotPostgres
    } else {
        ConnectFailure::Other
    }
}

/// The bytes the server sent (in plain text or inside TLS) are not the Postgres protocol: an
/// unknown message, a length that does not fit, or a partial message when the socket closed.
/// `io` carries no rustls error (see `classify_connect_failure`).
fn is_not_postgres(text: &str, io: &io::Error) -> bool {
    if text.starts_with("unexpected message from server")
        || text.starts_with("error parsing response from server")
    {
        return true;
    }
    // Only errors reading the protocol: one of the TLS handshake ("error performing TLS
    // handshake") says what it is itself.
    if !text.starts_with("error communicating with the server") {
        return false;
    }
    match io.kind() {
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => true,
        io::ErrorKind::Other => io.to_string() == "bytes remaining on stream",
        _ => false,
    }
}

fn find_io_error(err: &tokio_postgres::Error) -> Option<&io::Error> {
    let mut source = err.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return Some(io);
        }
        source = s.source();
    }
    None
}

fn errno_name(err: &io::Error) -> Option<&'static str> {
    Some(match err.kind() {
        io::ErrorKind::ConnectionRefused => "ECONNREFUSED",
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => "ECONNRESET",
        io::ErrorKind::TimedOut => "ETIMEDOUT",
        io::ErrorKind::BrokenPipe => "EPIPE",
        io::ErrorKind::NotFound => "ENOENT",
        io::ErrorKind::UnexpectedEof => "ECONNRESET",
        _ => return None,
    })
}

/// The statement's columns could not be decoded (a type without a binary decoder, or a value
/// with no JavaScript form such as an infinite timestamp).
pub fn decode_error(column: &str, why: &str) -> DbError {
    DbError::new(
        ErrorKind::Internal,
        format!("cannot read column \"{column}\": {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::AlertDescription;

    const IO: &str = "error communicating with the server";

    fn in_stream(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, err)
    }

    #[test]
    fn a_tls_alert_after_the_handshake_is_tls_not_a_foreign_protocol() {
        // TLS 1.3: the client's handshake is over when the server rejects its certificate, so
        // the alert arrives while tokio-postgres reads the startup answer (an Io error).
        let alert = in_stream(rustls::Error::AlertReceived(AlertDescription::UnknownCA));
        let text = format!("{IO}: {alert}");
        assert!(matches!(
            classify_connect_failure(&text, Some(&alert)),
            ConnectFailure::Tls(rustls::Error::AlertReceived(AlertDescription::UnknownCA))
        ));
        for refusal in [
            AlertDescription::BadCertificate,
            AlertDescription::CertificateRequired,
            AlertDescription::HandshakeFailure,
        ] {
            let alert = in_stream(rustls::Error::AlertReceived(refusal));
            assert!(matches!(
                classify_connect_failure(IO, Some(&alert)),
                ConnectFailure::Tls(_)
            ));
        }
    }

    #[test]
    fn a_tls_error_during_the_handshake_keeps_its_reason() {
        let bad = in_stream(rustls::Error::InvalidCertificateData(
            "invalid peer certificate: UnknownIssuer".into(),
        ));
        let failure = classify_connect_failure("error performing TLS handshake", Some(&bad));
        let ConnectFailure::Tls(tls) = failure else {
            panic!("{failure:?}")
        };
        assert!(tls_failure(tls, "db:5432")
            .message
            .contains("UnknownIssuer"));
        let alert = in_stream(rustls::Error::AlertReceived(AlertDescription::UnknownCA));
        assert!(matches!(
            classify_connect_failure("error performing TLS handshake", Some(&alert)),
            ConnectFailure::Tls(_)
        ));
    }

    #[test]
    fn bytes_that_are_not_the_protocol_are_not_postgres() {
        let tag = io::Error::new(io::ErrorKind::InvalidInput, "unknown message tag `H`");
        assert!(matches!(
            classify_connect_failure(IO, Some(&tag)),
            ConnectFailure::NotPostgres
        ));
        let length = in_stream("invalid message length: expected to be at end of body");
        assert!(matches!(
            classify_connect_failure(IO, Some(&length)),
            ConnectFailure::NotPostgres
        ));
        let partial = io::Error::other("bytes remaining on stream");
        assert!(matches!(
            classify_connect_failure(IO, Some(&partial)),
            ConnectFailure::NotPostgres
        ));
        assert!(matches!(
            classify_connect_failure("unexpected message from server", None),
            ConnectFailure::NotPostgres
        ));
    }

    #[test]
    fn other_failures_are_neither() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert!(matches!(
            classify_connect_failure(IO, Some(&refused)),
            ConnectFailure::Refused
        ));
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert!(matches!(
            classify_connect_failure(IO, Some(&reset)),
            ConnectFailure::Other
        ));
        // A non-rustls InvalidData from our TLS connector (a bad host name) is not "not Postgres".
        let name = in_stream("invalid dns name");
        assert!(matches!(
            classify_connect_failure("error performing TLS handshake", Some(&name)),
            ConnectFailure::Other
        ));
        assert!(matches!(
            classify_connect_failure(
                "error performing TLS handshake: server does not support TLS",
                None
            ),
            ConnectFailure::Other
        ));
    }
}
