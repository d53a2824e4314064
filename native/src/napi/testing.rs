//! Exports that exist for runtime/driver/native tests only (prefixed `test`): they reach the
//! failure paths of the Node-API layer that a correct engine never takes on its own.

use super::completion;
use super::convert;
use super::env::{Env, JsError, JsResult, JsValue};
use super::export::{Args, Export};
use crate::columnar::ResultBuilder;
use crate::error::{DbError, ErrorKind};
use crate::export;
use crate::value::Value;

pub const EXPORTS: &[Export] = &[
    export!("testPanic", test_panic),
    export!("testParams", test_params),
    export!("testError", test_error),
    export!("testResolveLater", test_resolve_later),
    export!("testEncode", test_encode),
];

/// Panics inside an export; the caller must see a JS error of kind "internal".
fn test_panic(_env: Env, _args: &Args) -> JsResult<JsValue> {
    panic!("test panic requested from JavaScript");
}

/// Converts the parameters and describes them back as text (`"number:1.5"`, …).
fn test_params(env: Env, args: &Args) -> JsResult<JsValue> {
    let values = convert::params(env, args.get(env, 0)?)?;
    let described: Vec<String> = values.iter().map(describe).collect();
    env.string_array(&described)
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("bool:{b}"),
        Value::Number(n) => format!("number:{n}"),
        Value::BigInt(n) => format!("bigint:{n}"),
        Value::Text(s) => format!("text:{s}"),
        Value::Bytes(b) => format!("bytes:{b:?}"),
        Value::Array(items) => format!(
            "array:[{}]",
            items.iter().map(describe).collect::<Vec<_>>().join(",")
        ),
    }
}

/// Throws a `DbError` with every structured field set.
fn test_error(_env: Env, _args: &Args) -> JsResult<JsValue> {
    let mut e = DbError::new(ErrorKind::Database, "duplicate key").with_code("23505");
    e.constraint = Some("books_title_key".into());
    e.table = Some("books".into());
    e.column = Some("title".into());
    e.detail = Some("Key (title) already exists.".into());
    Err(JsError::Db(e))
}

/// Settles a promise from another thread after `ms` milliseconds (argument 0) with the number
/// argument 1, or rejects when argument 2 is true — or drops the completion unsettled when
/// argument 3 is true (the promise must reject with kind "internal").
fn test_resolve_later(env: Env, args: &Args) -> JsResult<JsValue> {
    let ms = env.get_f64(args.get(env, 0)?)?;
    let n = env.get_f64(args.get(env, 1)?)?;
    let fail = env.get_bool(args.get(env, 2)?).unwrap_or(false);
    let drop_it = env.get_bool(args.get(env, 3)?).unwrap_or(false);
    let (promise, done) = completion::promise(env)?;
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(ms as u64));
        if drop_it {
            drop(done);
        } else if fail {
            done.reject(DbError::new(ErrorKind::Cancelled, "rejected on request"));
        } else {
            done.resolve_number(n);
        }
    });
    Ok(promise)
}

/// A result set built by the Rust encoder from a JS description, so the reader is tested on
/// real engine output: argument 0 is the column names, argument 1 the rows, each an array of
/// `[kind, value]` cells with kind "null" | "f64" | "i64" (bigint) | "bool" | "text" | "json" |
/// "blob" | "timestamp".
fn test_encode(env: Env, args: &Args) -> JsResult<JsValue> {
    let cols_js = args.get(env, 0)?;
    let mut columns = Vec::new();
    for i in 0..env.array_len(cols_js)? {
        columns.push(env.get_string(env.get_element(cols_js, i)?)?);
    }
    let rows_js = args.get(env, 1)?;
    let mut b = ResultBuilder::new(columns);
    for r in 0..env.array_len(rows_js)? {
        let row = env.get_element(rows_js, r)?;
        for c in 0..env.array_len(row)? {
            let cell = env.get_element(row, c)?;
            let kind = env.get_string(env.get_element(cell, 0)?)?;
            let v = env.get_element(cell, 1)?;
            match kind.as_str() {
                "null" => b.push_null(),
                "f64" => b.push_f64(env.get_f64(v)?),
                "i64" => b.push_i64(env.get_bigint_i64(v)?.0),
                "bool" => b.push_bool(env.get_bool(v)?),
                "text" => b.push_text(&env.get_string(v)?),
                "json" => b.push_json(&env.get_string(v)?),
                "blob" => b.push_bytes(env.get_bytes(v)?.unwrap_or(&[])),
                "timestamp" => b.push_timestamp_ms(env.get_f64(v)?),
                other => return Err(JsError::argument(format!("unknown cell kind {other}"))),
            }
        }
    }
    convert::result(env, b.finish(), true)
}
