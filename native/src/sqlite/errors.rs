//! rusqlite errors → `DbError`: kind "database" with `code` the extended result code's name
//! and `message` SQLite's own text (sqlite3_errmsg), exactly what better-sqlite3 reports, so
//! runtime/driver/native/errors.ts maps both the same way. Constraint messages name columns,
//! never values ("UNIQUE constraint failed: books.title").

use rusqlite::Error;

use super::codes::code_name;
use crate::error::{DbError, ErrorKind};

pub fn map_error(e: Error) -> DbError {
    match e {
        Error::SqliteFailure(f, msg) => {
            let message = msg.unwrap_or_else(|| f.to_string());
            DbError::new(ErrorKind::Database, message).with_code(code_name(f.extended_code))
        }
        Error::SqliteSingleThreadedMode => {
            DbError::new(ErrorKind::Config, "SQLite is compiled single-threaded")
        }
        Error::InvalidPath(_) => DbError::new(
            ErrorKind::Config,
            "the SQLite file name is not a valid path",
        ),
        Error::NulError(_) => DbError::new(
            ErrorKind::Bind,
            "a text value contains a NUL character where SQLite cannot take one",
        ),
        other => DbError::new(ErrorKind::Internal, format!("SQLite: {other}")),
    }
}

/// A `DbError` for `code` with SQLite's message for it, for failures outside rusqlite.
pub fn from_code(code: i32, message: impl Into<String>) -> DbError {
    DbError::new(ErrorKind::Database, message).with_code(code_name(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn constraint_failures_carry_the_extended_code_and_sqlites_message() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a TEXT UNIQUE NOT NULL); INSERT INTO t VALUES ('x')")
            .unwrap();
        let e = map_error(conn.execute("INSERT INTO t VALUES ('x')", []).unwrap_err());
        assert_eq!(e.kind, ErrorKind::Database);
        assert_eq!(e.code.as_deref(), Some("SQLITE_CONSTRAINT_UNIQUE"));
        assert_eq!(e.message, "UNIQUE constraint failed: t.a");
        let e = map_error(conn.execute("INSERT INTO t VALUES (NULL)", []).unwrap_err());
        assert_eq!(e.code.as_deref(), Some("SQLITE_CONSTRAINT_NOTNULL"));
    }

    #[test]
    fn syntax_errors_are_sqlite_error() {
        let conn = Connection::open_in_memory().unwrap();
        let e = map_error(conn.prepare("SELEC 1").unwrap_err());
        assert_eq!(e.code.as_deref(), Some("SQLITE_ERROR"));
        assert_eq!(e.message, "near \"SELEC\": syntax error");
    }
}
