//! SQL functions the SQLite dialect's SQL relies on (runtime/dialect/sqlite-functions.ts):
//! `yara_lower(x)` / `yara_upper(x)` fold the case of every letter, as Postgres' lower()/upper()
//! do — SQLite's own fold ASCII only. Like the JavaScript versions, they use the full Unicode
//! mappings ("ß" → "SS", final sigma) and return non-text values unchanged.

use rusqlite::functions::FunctionFlags;
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

pub const YARA_LOWER: &str = "yara_lower";
pub const YARA_UPPER: &str = "yara_upper";

/// Registers every dialect function on `conn`.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function(YARA_LOWER, 1, flags, |ctx| {
        Ok(fold(ctx.get_raw(0), str::to_lowercase))
    })?;
    conn.create_scalar_function(YARA_UPPER, 1, flags, |ctx| {
        Ok(fold(ctx.get_raw(0), str::to_uppercase))
    })?;
    Ok(())
}

/// Text folded; other values returned as they come — through a JavaScript number for
/// integers, as the better-sqlite3 driver's JavaScript function returns them (REAL), so both
/// drivers' SQL sees the same storage class.
fn fold(v: ValueRef<'_>, convert: fn(&str) -> String) -> Value {
    match v {
        ValueRef::Text(bytes) => Value::Text(convert(&String::from_utf8_lossy(bytes))),
        ValueRef::Integer(i) => Value::Real(i as f64),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(conn: &Connection, sql: &str) -> Value {
        conn.query_row(sql, [], |r| r.get::<_, Value>(0)).unwrap()
    }

    #[test]
    fn folds_every_letter_and_keeps_other_values() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        assert_eq!(
            one(&conn, "SELECT yara_lower('ÀÉÎ Straße ΟΔΟΣ')"),
            Value::Text("àéî straße οδο\u{3c2}".into())
        );
        assert_eq!(
            one(&conn, "SELECT yara_upper('straße')"),
            Value::Text("STRASSE".into())
        );
        assert_eq!(one(&conn, "SELECT yara_lower(42)"), Value::Real(42.0));
        assert_eq!(one(&conn, "SELECT yara_upper(NULL)"), Value::Null);
        assert_eq!(
            one(&conn, "SELECT yara_upper(x'00ff')"),
            Value::Blob(vec![0, 0xff])
        );
    }
}
