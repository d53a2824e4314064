//! tokio-postgres errors → `DbError`. A server error keeps its SQLSTATE, constraint, table,
//! column and detail (the runtime decides what reaches a message: runtime/driver/pg/errors.ts
//! drops quoted values). A broken or unreachable connection is a Connection error naming the
//! server, with the socket error's errno name as its code where there is one (ECONNREFUSED, …)
//! so it reads as node-postgres' does.

use std::error::Error as _;
use std::io;

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
/// for the two common mistakes — nothing listening on the port, and something other than
/// Postgres listening on it (whose bytes tokio-postgres can only call "bytes remaining on
/// stream", "unknown message tag", …).
pub fn map_connect_error(err: &tokio_postgres::Error, address: &str) -> DbError {
    if err.as_db_error().is_some() {
        return map_error(err, address);
    }
    let io = find_io_error(err);
    if io.map(io::Error::kind) == Some(io::ErrorKind::ConnectionRefused) {
        return DbError::new(
            ErrorKind::Connection,
            format!("nothing is listening on {address} (connection refused)"),
        )
        .with_code("ECONNREFUSED");
    }
    if is_not_postgres(err, io) {
        return DbError::new(
            ErrorKind::Connection,
            format!(
                "the server at {address} did not answer as PostgreSQL: check the host and port \
                 (is another service listening there?)"
            ),
        )
        .with_code("EPROTO");
    }
    map_error(err, address)
}

/// The bytes the server sent are not the Postgres protocol: an unknown message, a length that
/// does not fit, or a partial message when the socket closed.
fn is_not_postgres(err: &tokio_postgres::Error, io: Option<&io::Error>) -> bool {
    let text = err.to_string();
    if text.starts_with("unexpected message from server")
        || text.starts_with("error parsing response from server")
    {
        return true;
    }
    // Only errors reading the protocol: a TLS handshake that fails (a certificate the CA did
    // not sign, say) also carries an InvalidData error, and says what it is itself.
    if !text.starts_with("error communicating with the server") {
        return false;
    }
    match io {
        Some(io) => match io.kind() {
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => true,
            io::ErrorKind::Other => io.to_string() == "bytes remaining on stream",
            _ => false,
        },
        None => false,
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
