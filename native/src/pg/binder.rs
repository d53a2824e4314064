//! Binds `Value`s to a prepared statement's parameter types. Postgres reads every parameter the
//! same way node-postgres sends it, so results and errors match the JavaScript driver:
//!
//! - integers to int2/int4/int8, numbers to float8 and booleans to bool go in binary (what the
//!   server would parse from the text, without the parsing);
//! - bytes go in binary, as node-postgres sends Buffers;
//! - everything else goes in text format and the server parses it for the parameter's type:
//!   strings for timestamptz, numeric, uuid, json, dates; numbers written as JavaScript writes
//!   them (`String(n)`), booleans as "true"/"false", arrays as one array literal
//!   (`{"a",NULL}`, for `= ANY($1)`). A value the type cannot hold (3e9 for int4, "abc" for
//!   uuid) is the server's own error, as with node-postgres.

use std::error::Error;

use bytes::{BufMut, BytesMut};
use tokio_postgres::types::{to_sql_checked, Format, IsNull, ToSql, Type};

use crate::value::Value;

/// The most parameters one statement binds: postgres-protocol writes a Bind message's count as
/// an i16 (the protocol's field is 16 bits, node-postgres reads it unsigned: 65 535). The
/// runtime's `NativePgDriver.maxParams` says the same number.
pub const MAX_PARAMS: usize = i16::MAX as usize;

/// One bound parameter.
#[derive(Debug)]
pub struct Bound<'a>(pub &'a Value);

impl Bound<'_> {
    fn is_binary(&self, ty: &Type) -> bool {
        match self.0 {
            Value::Bytes(_) => true,
            Value::Bool(_) => *ty == Type::BOOL,
            Value::Number(n) => match *ty {
                Type::INT2 => integral_in(*n, i16::MIN as f64, i16::MAX as f64),
                Type::INT4 => integral_in(*n, i32::MIN as f64, i32::MAX as f64),
                Type::INT8 => integral_in(*n, -9_007_199_254_740_991.0, 9_007_199_254_740_991.0),
                Type::FLOAT8 => true,
                _ => false,
            },
            Value::BigInt(n) => match *ty {
                Type::INT2 => i16::try_from(*n).is_ok(),
                Type::INT4 => i32::try_from(*n).is_ok(),
                Type::INT8 => true,
                _ => false,
            },
            _ => false,
        }
    }
}

fn integral_in(n: f64, min: f64, max: f64) -> bool {
    n.fract() == 0.0 && n >= min && n <= max
}

impl ToSql for Bound<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        if self.is_binary(ty) {
            match (self.0, ty) {
                (Value::Bytes(b), _) => out.put_slice(b),
                (Value::Bool(b), _) => out.put_u8(*b as u8),
                (Value::Number(n), &Type::INT2) => out.put_i16(*n as i16),
                (Value::Number(n), &Type::INT4) => out.put_i32(*n as i32),
                (Value::Number(n), &Type::INT8) => out.put_i64(*n as i64),
                (Value::Number(n), _) => out.put_f64(*n),
                (Value::BigInt(n), &Type::INT2) => out.put_i16(*n as i16),
                (Value::BigInt(n), &Type::INT4) => out.put_i32(*n as i32),
                (Value::BigInt(n), _) => out.put_i64(*n),
                _ => unreachable!("is_binary covers these pairs"),
            }
            return Ok(IsNull::No);
        }
        if self.0 == &Value::Null {
            return Ok(IsNull::Yes);
        }
        let mut text = String::new();
        write_text(self.0, &mut text);
        out.put_slice(text.as_bytes());
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, ty: &Type) -> Format {
        if self.is_binary(ty) {
            Format::Binary
        } else {
            Format::Text
        }
    }

    to_sql_checked!();
}

/// A parameter in text format, as node-postgres' `prepareValue` writes it.
fn write_text(value: &Value, out: &mut String) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_js_number(*n, out),
        Value::BigInt(n) => out.push_str(&n.to_string()),
        Value::Text(s) => out.push_str(s),
        Value::Bytes(b) => write_bytea_hex(b, out),
        Value::Array(items) => write_array_literal(items, out),
    }
}

fn write_bytea_hex(bytes: &[u8], out: &mut String) {
    use std::fmt::Write;
    out.push_str("\\x");
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

/// `["a", null, 'b"c']` → `{"a",NULL,"b\"c"}`, as `pgArrayLiteral` in runtime/driver/pg/params.ts.
pub fn write_array_literal(items: &[Value], out: &mut String) {
    out.push('{');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Value::Null => out.push_str("NULL"),
            Value::Text(s) => quote(s, out),
            Value::Number(n) => write_js_number(*n, out),
            Value::BigInt(n) => out.push_str(&n.to_string()),
            Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
            Value::Bytes(b) => {
                let mut hex = String::new();
                write_bytea_hex(b, &mut hex);
                quote(&hex, out);
            }
            Value::Array(inner) => write_array_literal(inner, out),
        }
    }
    out.push('}');
}

fn quote(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
}

/// ECMAScript's Number::toString: shortest round-trip digits, exponent form from 1e21 and
/// below 1e-6.
pub fn write_js_number(n: f64, out: &mut String) {
    if n.is_nan() {
        return out.push_str("NaN");
    }
    if n.is_infinite() {
        return out.push_str(if n > 0.0 { "Infinity" } else { "-Infinity" });
    }
    if n == 0.0 {
        return out.push('0');
    }
    if n < 0.0 {
        out.push('-');
    }
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let point = exp.parse::<i32>().unwrap_or(0) + 1;
    if k <= point && point <= 21 {
        out.push_str(&digits);
        out.extend((0..point - k).map(|_| '0'));
    } else if 0 < point && point <= 21 {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    } else if -6 < point && point <= 0 {
        out.push_str("0.");
        out.extend((0..-point).map(|_| '0'));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = point - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&e.abs().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(n: f64) -> String {
        let mut s = String::new();
        write_js_number(n, &mut s);
        s
    }

    fn text(v: &Value) -> String {
        let mut s = String::new();
        write_text(v, &mut s);
        s
    }

    #[test]
    fn numbers_print_as_javascript_does() {
        assert_eq!(js(5.0), "5");
        assert_eq!(js(-0.5), "-0.5");
        assert_eq!(js(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(js(1e21), "1e+21");
        assert_eq!(js(123456789012345680000.0), "123456789012345680000");
        assert_eq!(js(1e-7), "1e-7");
        assert_eq!(js(0.000001), "0.000001");
        assert_eq!(js(1.5e-10), "1.5e-10");
        assert_eq!(js(f64::NAN), "NaN");
    }

    #[test]
    fn arrays_become_one_literal() {
        let v = Value::Array(vec![
            Value::Text("a\"b".into()),
            Value::Null,
            Value::Number(2.5),
            Value::Bool(true),
            Value::Array(vec![Value::BigInt(9)]),
        ]);
        assert_eq!(text(&v), "{\"a\\\"b\",NULL,2.5,t,{9}}");
    }

    #[test]
    fn chooses_binary_only_where_it_is_exact() {
        assert!(Bound(&Value::Number(7.0)).is_binary(&Type::INT4));
        assert!(!Bound(&Value::Number(7.5)).is_binary(&Type::INT4));
        assert!(!Bound(&Value::Number(3e9)).is_binary(&Type::INT4));
        assert!(!Bound(&Value::Number(7.0)).is_binary(&Type::NUMERIC));
        assert!(!Bound(&Value::Number(7.0)).is_binary(&Type::FLOAT4));
        assert!(Bound(&Value::BigInt(1 << 40)).is_binary(&Type::INT8));
        assert!(!Bound(&Value::BigInt(1 << 40)).is_binary(&Type::INT4));
        assert!(Bound(&Value::Bytes(vec![1])).is_binary(&Type::TEXT));
        assert!(!Bound(&Value::Text("1".into())).is_binary(&Type::INT4));
        assert_eq!(text(&Value::Bool(false)), "false");
    }
}
