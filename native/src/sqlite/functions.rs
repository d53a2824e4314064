//! SQL functions the SQLite dialect's SQL relies on (runtime/dialect/sqlite-functions.ts):
//! `yara_lower(x)` / `yara_upper(x)` fold the case of every letter, as Postgres' lower()/upper()
//! do — SQLite's own fold ASCII only. Like the JavaScript versions, they use the full Unicode
//! mappings ("ß" → "SS", final sigma) and return non-text values unchanged.
//!
//! `yara_regexp(value, pattern)` / `yara_iregexp(value, pattern)` (the `regex` / `iregex`
//! lookups) and `yara_search(document, query)` (the `search` lookup) mirror the JavaScript
//! functions of the better-sqlite3 driver: see runtime/query/regex-pattern.ts for the pattern
//! subset they are given and runtime/query/search-words.ts for the words a search compares.
//!
//! `yara_raise(message)` fails the statement with `message` where the SQL reaches it: in the
//! branch of a divisor that is zero ("division by zero", as Postgres raises where SQLite's own
//! division gives NULL), and in a migration's check of rows an altered column cannot hold. It
//! is not deterministic, so SQLite never computes it ahead of time. `yara_integer(value, min,
//! max, field)` is `value` when it is an integer from `min` to `max` (or NULL) and fails naming
//! the field otherwise: an UPDATE computing an integer writes through it, where SQLite would
//! store 32768 in a smallint column and turn a 64-bit overflow into a REAL.

use std::sync::{Arc, LazyLock};

use regex::{Regex, RegexBuilder};
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

pub const YARA_LOWER: &str = "yara_lower";
pub const YARA_UPPER: &str = "yara_upper";
pub const YARA_REGEXP: &str = "yara_regexp";
pub const YARA_IREGEXP: &str = "yara_iregexp";
pub const YARA_SEARCH: &str = "yara_search";
pub const YARA_RAISE: &str = "yara_raise";
pub const YARA_INTEGER: &str = "yara_integer";

/// Registers every dialect function on `conn`.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function(YARA_LOWER, 1, flags, |ctx| {
        Ok(fold(ctx.get_raw(0), str::to_lowercase))
    })?;
    conn.create_scalar_function(YARA_UPPER, 1, flags, |ctx| {
        Ok(fold(ctx.get_raw(0), str::to_uppercase))
    })?;
    conn.create_scalar_function(YARA_REGEXP, 2, flags, |ctx| matches(ctx, false))?;
    conn.create_scalar_function(YARA_IREGEXP, 2, flags, |ctx| matches(ctx, true))?;
    conn.create_scalar_function(YARA_SEARCH, 2, flags, |ctx| {
        let (ValueRef::Text(doc), ValueRef::Text(_)) = (ctx.get_raw(0), ctx.get_raw(1)) else {
            return Ok(Value::Null);
        };
        // The query's words, split once per statement (argument 1 is a bound value).
        let wanted: Arc<Vec<String>> = ctx.get_or_create_aux(1, |query| {
            query.as_bytes().map(|q| words(&String::from_utf8_lossy(q)))
        })?;
        Ok(Value::Integer(i64::from(search(
            &String::from_utf8_lossy(doc),
            &wanted,
        ))))
    })?;
    conn.create_scalar_function(
        YARA_RAISE,
        1,
        FunctionFlags::SQLITE_UTF8,
        |ctx| -> rusqlite::Result<Value> {
            let message = match ctx.get_raw(0) {
                ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
                _ => "yara_raise() called without a message".to_owned(),
            };
            Err(rusqlite::Error::UserFunctionError(message.into()))
        },
    )?;
    conn.create_scalar_function(YARA_INTEGER, 4, FunctionFlags::SQLITE_UTF8, integer_in)?;
    Ok(())
}

/// `yara_integer(value, min, max, field)`: the value when it is an integer in range or NULL (a
/// whole REAL in range becomes that integer).
fn integer_in(ctx: &Context<'_>) -> rusqlite::Result<Value> {
    let (min, max) = (ctx.get::<i64>(1)?, ctx.get::<i64>(2)?);
    match ctx.get_raw(0) {
        ValueRef::Null => Ok(Value::Null),
        ValueRef::Integer(i) if (min..=max).contains(&i) => Ok(Value::Integer(i)),
        // A whole REAL in range (a bound number); `< max + 1` since i64::MAX rounds up to 2^63.
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        ValueRef::Real(f) if f.fract() == 0.0 && f >= min as f64 && f < max as f64 + 1.0 => {
            Ok(Value::Integer(f as i64))
        }
        _ => {
            let field = ctx.get::<String>(3)?;
            Err(rusqlite::Error::UserFunctionError(
                format!("{field}: integer out of range [{min}, {max}]").into(),
            ))
        }
    }
}

/// 1 when the text value matches the pattern (argument 1, compiled once per statement), 0 when
/// not, NULL for a NULL or non-text value. `.` matches a newline, as in Postgres.
fn matches(ctx: &Context<'_>, insensitive: bool) -> rusqlite::Result<Value> {
    let regex: Arc<Regex> = ctx.get_or_create_aux(1, |pattern| {
        let pattern = pattern
            .as_str()
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
        RegexBuilder::new(pattern)
            .dot_matches_new_line(true)
            .case_insensitive(insensitive)
            .build()
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
    })?;
    Ok(match ctx.get_raw(0) {
        ValueRef::Text(bytes) => {
            Value::Integer(i64::from(regex.is_match(&String::from_utf8_lossy(bytes))))
        }
        _ => Value::Null,
    })
}

/// Runs of letters and decimal digits (Unicode `Alphabetic` and `Nd`), as search-words.ts.
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{Alphabetic}\p{Nd}]+").expect("a valid pattern"));

/// The words of `text`, each character lower-cased on its own.
fn words(text: &str) -> Vec<String> {
    WORD.find_iter(text)
        .map(|w| w.as_str().chars().flat_map(char::to_lowercase).collect())
        .collect()
}

/// Whether every word of a query (`wanted`, its `words`) is a word of `document` (false for a
/// query without words).
fn search(document: &str, wanted: &[String]) -> bool {
    if wanted.is_empty() {
        return false;
    }
    let document = words(document);
    wanted.iter().all(|q| document.contains(q))
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

    #[test]
    fn regexp_matches_with_dot_all_and_folds_case_when_asked() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        assert_eq!(
            one(&conn, "SELECT yara_regexp('a\nb', 'a.b')"),
            Value::Integer(1)
        );
        assert_eq!(
            one(&conn, "SELECT yara_regexp('ÉMILE', '^émile$')"),
            Value::Integer(0)
        );
        assert_eq!(
            one(&conn, "SELECT yara_iregexp('ÉMILE', '^émile$')"),
            Value::Integer(1)
        );
        assert_eq!(one(&conn, "SELECT yara_regexp(NULL, 'a')"), Value::Null);
        assert!(conn
            .query_row("SELECT yara_regexp('a', '(')", [], |r| r.get::<_, Value>(0))
            .is_err());
    }

    #[test]
    fn raise_fails_with_its_message_only_where_the_sql_reaches_it() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let divide = |d: i64| {
            conn.query_row(
                "SELECT 7 / CASE WHEN ?1 = 0 THEN yara_raise('division by zero') ELSE ?1 END",
                [d],
                |r| r.get::<_, Value>(0),
            )
        };
        assert_eq!(divide(2).unwrap(), Value::Integer(3));
        let err = divide(0).unwrap_err();
        assert!(err.to_string().contains("division by zero"), "{err}");
    }

    #[test]
    fn integer_passes_integers_in_range_and_names_the_field_otherwise() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let check = |sql: &str| {
            conn.query_row(
                &format!("SELECT yara_integer({sql}, -32768, 32767, 'Item.small')"),
                [],
                |r| r.get::<_, Value>(0),
            )
        };
        assert_eq!(check("32767").unwrap(), Value::Integer(32767));
        assert_eq!(check("NULL").unwrap(), Value::Null);
        assert_eq!(check("7.0").unwrap(), Value::Integer(7));
        for bad in ["32768", "2.5", "'7'", "32768.0"] {
            let err = check(bad).unwrap_err().to_string();
            assert!(
                err.contains("Item.small: integer out of range [-32768, 32767]"),
                "{err}"
            );
        }
        // A 64-bit overflow is a REAL in SQLite: refused too.
        let err = conn
            .query_row(
                "SELECT yara_integer(9223372036854775807 + 1, -9223372036854775807 - 1, 9223372036854775807, 'Item.big')",
                [],
                |r| r.get::<_, Value>(0),
            )
            .unwrap_err();
        assert!(err.to_string().contains("Item.big"), "{err}");
    }

    #[test]
    fn search_needs_every_word_of_the_query() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let q = |d: &str, q: &str| one(&conn, &format!("SELECT yara_search('{d}', '{q}')"));
        assert_eq!(q("The well-known Café", "cafe"), Value::Integer(0));
        assert_eq!(q("The well-known Café", "CAFÉ known"), Value::Integer(1));
        assert_eq!(q("The well-known Café", "well known"), Value::Integer(1));
        assert_eq!(q("The well-known Café", " -- "), Value::Integer(0));
        assert_eq!(q("E = mc² or ½", "mc"), Value::Integer(1));
        assert_eq!(q("E = mc² or ½", "2"), Value::Integer(0));
    }
}
