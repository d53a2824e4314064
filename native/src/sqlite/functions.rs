//! SQL functions the SQLite dialect's SQL relies on (runtime/dialect/sqlite-functions.ts):
//! `yara_lower(x)` / `yara_upper(x)` fold the case of every letter, as Postgres' lower()/upper()
//! do — SQLite's own fold ASCII only. Like the JavaScript versions, they map each code point on
//! its own by Unicode's simple (one-to-one) case mapping, as Postgres does on a UTF-8 database:
//! "İ" → "i", "Σ" → "σ" even at a word's end, "ß" and "ﬁ" kept — not Rust's `str::to_lowercase`
//! / `to_uppercase`, whose full mappings give "i̇", final "ς", "SS" and "FI". Non-text values
//! are returned unchanged.
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
//!
//! `register` adds the exact decimal aggregates of `decimal.rs` too (`yara_decimal_min`, `_max`,
//! `_sum`, `_avg`), which aggregate the dialect's decimal text where SQLite's own read REALs.

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

/// Registers every dialect function on `conn`, the decimal aggregates included.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function(YARA_LOWER, 1, flags, |ctx| {
        Ok(fold(
            ctx.get_raw(0),
            <[u8]>::to_ascii_lowercase,
            simple_lower,
        ))
    })?;
    conn.create_scalar_function(YARA_UPPER, 1, flags, |ctx| {
        Ok(fold(
            ctx.get_raw(0),
            <[u8]>::to_ascii_uppercase,
            simple_upper,
        ))
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
    super::decimal::register(conn)
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

/// `s` lower-cased code point by code point by the simple case mapping. `str::to_lowercase`
/// differs from it in two letters only: `İ`, whose full lower case is "i̇", and `Σ`, which
/// becomes `ς` at the end of a word; text without them takes it, text with them takes it once
/// they are mapped (no other letter's lower case depends on them). Their UTF-8 byte pairs are
/// looked for in one branch-free pass, which the compiler vectorises.
fn simple_lower(s: &str) -> String {
    let b = s.as_bytes();
    let special = b
        .iter()
        .zip(b.get(1..).unwrap_or_default())
        .fold(false, |found, (&x, &y)| {
            found | ((x == 0xc4) & (y == 0xb0)) | ((x == 0xce) & (y == 0xa3))
        });
    if !special {
        return s.to_lowercase();
    }
    s.replace('\u{130}', "i")
        .replace('\u{3a3}', "\u{3c3}")
        .to_lowercase()
}

/// `s` upper-cased code point by code point by the simple case mapping. `str::to_uppercase`
/// has no context, and its full mapping differs from the simple one only where it gives several
/// characters ("ß" → "SS") and no character maps to none: a result with as many characters as
/// `s` is the simple one.
fn simple_upper(s: &str) -> String {
    let full = s.to_uppercase();
    if full.chars().count() == s.chars().count() {
        return full;
    }
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().map(simple_upper_char));
    out
}

/// The simple upper case of `c`: `char::to_uppercase` where that is one character. The ones
/// whose full upper case is longer ("ß" → "SS", "ﬁ" → "FI", "ᾳ" → "ΑΙ") have no simple mapping
/// (they stay), except the Greek small letters with ypogegrammeni, which take their one-letter
/// capital: ᾀ-ᾇ, ᾐ-ᾗ, ᾠ-ᾧ → ᾈ-ᾏ, ᾘ-ᾟ, ᾨ-ᾯ; ᾳ, ῃ, ῳ → ᾼ, ῌ, ῼ.
fn simple_upper_char(c: char) -> char {
    let mut full = c.to_uppercase();
    if let (Some(u), None) = (full.next(), full.next()) {
        return u;
    }
    let offset = match c {
        '\u{1f80}'..='\u{1f87}' | '\u{1f90}'..='\u{1f97}' | '\u{1fa0}'..='\u{1fa7}' => 8,
        '\u{1fb3}' | '\u{1fc3}' | '\u{1ff3}' => 9,
        _ => return c,
    };
    char::from_u32(u32::from(c) + offset).unwrap_or(c)
}

/// Text folded — ASCII text (most text) byte by byte by `ascii`, the rest by `convert`; other
/// values returned as they come — through a JavaScript number for integers, as the
/// better-sqlite3 driver's JavaScript function returns them (REAL), so both drivers' SQL sees
/// the same storage class.
fn fold(v: ValueRef<'_>, ascii: fn(&[u8]) -> Vec<u8>, convert: fn(&str) -> String) -> Value {
    match v {
        ValueRef::Text(bytes) if bytes.is_ascii() => {
            Value::Text(String::from_utf8(ascii(bytes)).expect("ASCII is UTF-8"))
        }
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
            Value::Text("àéî straße οδοσ".into())
        );
        assert_eq!(
            one(&conn, "SELECT yara_upper('straße')"),
            Value::Text("STRAßE".into())
        );
        assert_eq!(one(&conn, "SELECT yara_lower(42)"), Value::Real(42.0));
        assert_eq!(one(&conn, "SELECT yara_upper(NULL)"), Value::Null);
        assert_eq!(
            one(&conn, "SELECT yara_upper(x'00ff')"),
            Value::Blob(vec![0, 0xff])
        );
    }

    #[test]
    fn maps_each_code_point_by_the_simple_mapping_as_postgres_does() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let text = |sql: &str| match one(&conn, sql) {
            Value::Text(t) => t,
            other => panic!("{sql}: {other:?}"),
        };
        // What Postgres 15 (UTF-8, LC_CTYPE C.UTF-8) returns for each.
        for (sql, postgres) in [
            ("yara_lower('Ada LOVELACE 42')", "ada lovelace 42"),
            ("yara_upper('Ada lovelace 42')", "ADA LOVELACE 42"),
            ("yara_lower('İstanbul')", "istanbul"),
            ("yara_lower('ΣΊΣΥΦΟΣ')", "σίσυφοσ"),
            ("yara_lower('ΣΑΣ ΟΔΟΣ.')", "σασ οδοσ."),
            ("yara_upper('σίσυφος')", "ΣΊΣΥΦΟΣ"),
            ("yara_upper('ß')", "ß"),
            ("yara_lower('ẞ')", "ß"),
            ("yara_upper('ﬁ ﬀ ŉ ΐ')", "ﬁ ﬀ ŉ ΐ"),
            ("yara_upper('ᾳ ᾀ ᾈ ῳ')", "ᾼ ᾈ ᾈ ῼ"),
            ("yara_upper('ǅ ı ſ')", "Ǆ I S"),
            ("yara_lower('ǅ \u{212a} \u{2126} 𐐀')", "ǆ k ω 𐐨"),
        ] {
            assert_eq!(text(&format!("SELECT {sql}")), postgres, "{sql}");
        }
        // Text is the concatenation of its code points' mappings: no context, no expansion.
        let mixed = "Aİ ΣΑΣ ß ﬁ ᾳ ǅ x\u{307}Σ";
        let each = |f: fn(&str) -> String| -> String {
            mixed
                .chars()
                .map(|c| f(c.encode_utf8(&mut [0; 4])))
                .collect()
        };
        assert_eq!(simple_lower(mixed), each(simple_lower));
        assert_eq!(simple_upper(mixed), each(simple_upper));
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(simple_lower(&s).chars().count(), 1, "{c:?}");
            assert_eq!(simple_upper(&s).chars().count(), 1, "{c:?}");
        }
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
