//! Conversions at the boundary: JavaScript parameters → `value::Value`, and `columnar::Encoded`
//! → the JavaScript result form (see "Result sets" in `napi/mod.rs`).

use super::env::{Env, JsError, JsResult, JsType, JsValue};
use crate::columnar::Encoded;
use crate::error::{DbError, ErrorKind};
use crate::value::Value;

/// A statement's parameters: a JS array (or `undefined` for none) of `null`, number, bigint
/// (at most 64 bits), string, boolean, Uint8Array/Buffer, or an array of those.
pub fn params(env: Env, v: JsValue) -> JsResult<Vec<Value>> {
    match env.type_of(v)? {
        JsType::Undefined | JsType::Null => return Ok(Vec::new()),
        JsType::Object if env.is_array(v)? => {}
        _ => return Err(JsError::argument("parameters must be an array")),
    }
    let n = env.array_len(v)?;
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let item = env.get_element(v, i)?;
        out.push(param(env, item, i as usize + 1, false)?);
    }
    Ok(out)
}

/// One parameter; `position` is 1-based, as in `$1` / `?1`, and named in bind errors.
pub fn param(env: Env, v: JsValue, position: usize, nested: bool) -> JsResult<Value> {
    Ok(match env.type_of(v)? {
        JsType::Null => Value::Null,
        JsType::Number => Value::Number(env.get_f64(v)?),
        JsType::String => Value::Text(env.get_string(v)?),
        JsType::Boolean => Value::Bool(env.get_bool(v)?),
        JsType::BigInt => {
            let (n, lossless) = env.get_bigint_i64(v)?;
            if !lossless {
                return Err(bind_error(
                    position,
                    "is a bigint wider than 64 bits; SQL integers hold at most 64 bits",
                ));
            }
            Value::BigInt(n)
        }
        JsType::Object => {
            if let Some(bytes) = env.get_bytes(v)? {
                Value::Bytes(bytes.to_vec())
            } else if env.is_array(v)? {
                if nested {
                    return Err(bind_error(
                        position,
                        "is an array inside an array; arrays bind one level deep",
                    ));
                }
                let n = env.array_len(v)?;
                let mut items = Vec::with_capacity(n as usize);
                for i in 0..n {
                    items.push(param(env, env.get_element(v, i)?, position, true)?);
                }
                Value::Array(items)
            } else {
                return Err(bind_error(position, "is an object; bind null, a number, bigint, string, boolean, Uint8Array or array"));
            }
        }
        other => {
            let name = match other {
                JsType::Undefined => "undefined",
                JsType::Symbol => "a symbol",
                JsType::Function => "a function",
                _ => "an external",
            };
            return Err(bind_error(
                position,
                &format!("is {name}, which cannot be bound"),
            ));
        }
    })
}

/// A "bind" error naming the parameter, never its value.
pub fn bind_error(position: usize, what: &str) -> JsError {
    JsError::Db(DbError::new(
        ErrorKind::Bind,
        format!("parameter {position} {what}"),
    ))
}

/// A result set as JavaScript receives it: `[buffer, text, rows]`, plus the column names as a
/// fourth element when `with_columns` (callers that cache names per statement skip them).
/// Four or five Node-API calls whatever the number of cells.
pub fn result(env: Env, e: Encoded, with_columns: bool) -> JsResult<JsValue> {
    let out = env.array(if with_columns { 4 } else { 3 })?;
    let text = if e.text.is_empty() {
        env.string_latin1(b"")?
    } else if e.text_is_ascii {
        env.string_latin1(e.text.as_bytes())?
    } else {
        env.string_utf8(&e.text)?
    };
    let rows = env.uint32(e.rows as u32)?;
    if with_columns {
        let cols = env.string_array(&e.columns)?;
        env.set_element(out, 3, cols)?;
    }
    let buffer = env.arraybuffer(e.buffer)?;
    env.set_element(out, 0, buffer)?;
    env.set_element(out, 1, text)?;
    env.set_element(out, 2, rows)?;
    Ok(out)
}
