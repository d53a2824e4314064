//! Binary result cells → the columnar result (`ResultBuilder`), one decoder per column chosen
//! once per prepared statement. Cells map onto the tags the JavaScript driver's reader would
//! produce from the same row: integers and floats as NUMBER (int8 past 2^53 as BIGINT), BOOL,
//! TIMESTAMP (ms), JSON, BLOB, and TEXT for everything Postgres prints as text (numeric, date,
//! time, uuid, arrays, enums, infinite and BC timestamps, …). A type without a binary decoder fails with an error that
//! names the column and says to cast it to text.

use std::fmt::Write;

use tokio_postgres::types::{Kind, Type};

use super::datetime;
use super::numeric::write_numeric;
use crate::columnar::{tag, unsigned_zero, ResultBuilder};

#[derive(Debug, Clone, PartialEq)]
pub enum ColumnDecoder {
    Int2,
    Int4,
    Int8,
    Oid,
    Float4,
    Float8,
    Bool,
    /// Text, varchar, bpchar, name, enums, citext, xml, unknown, void: UTF-8 bytes as they are.
    Text,
    /// The one-byte `"char"` type.
    Char,
    Numeric,
    /// Timestamp and timestamptz alike (the session runs at UTC).
    Timestamp,
    Date,
    Time,
    TimeTz,
    Uuid,
    Json,
    Jsonb,
    Bytea,
    /// An array, written as Postgres' array text ("{1,2,NULL}").
    Array(Box<ColumnDecoder>),
    Unsupported(String),
}

impl ColumnDecoder {
    pub fn for_type(ty: &Type) -> ColumnDecoder {
        match *ty {
            Type::INT2 => ColumnDecoder::Int2,
            Type::INT4 => ColumnDecoder::Int4,
            Type::INT8 => ColumnDecoder::Int8,
            Type::OID => ColumnDecoder::Oid,
            Type::FLOAT4 => ColumnDecoder::Float4,
            Type::FLOAT8 => ColumnDecoder::Float8,
            Type::BOOL => ColumnDecoder::Bool,
            Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::UNKNOWN
            | Type::XML
            | Type::VOID => ColumnDecoder::Text,
            Type::CHAR => ColumnDecoder::Char,
            Type::NUMERIC => ColumnDecoder::Numeric,
            Type::TIMESTAMP | Type::TIMESTAMPTZ => ColumnDecoder::Timestamp,
            Type::DATE => ColumnDecoder::Date,
            Type::TIME => ColumnDecoder::Time,
            Type::TIMETZ => ColumnDecoder::TimeTz,
            Type::UUID => ColumnDecoder::Uuid,
            Type::JSON => ColumnDecoder::Json,
            Type::JSONB => ColumnDecoder::Jsonb,
            Type::BYTEA => ColumnDecoder::Bytea,
            _ => match ty.kind() {
                Kind::Enum(_) => ColumnDecoder::Text,
                Kind::Domain(base) => ColumnDecoder::for_type(base),
                Kind::Array(element) => match ColumnDecoder::for_type(element) {
                    ColumnDecoder::Unsupported(name) => {
                        ColumnDecoder::Unsupported(format!("{name}[]"))
                    }
                    decoder => ColumnDecoder::Array(Box::new(decoder)),
                },
                _ if ty.name() == "citext" => ColumnDecoder::Text,
                _ => ColumnDecoder::Unsupported(ty.name().to_string()),
            },
        }
    }

    /// Pushes one cell; `Err` is the reason it cannot be read (the caller names the column).
    /// `int8_as_bigint`: int8 cells are BIGINT however small (`QueryOptions.bigints`).
    pub fn push(
        &self,
        raw: Option<&[u8]>,
        out: &mut ResultBuilder,
        int8_as_bigint: bool,
    ) -> Result<(), String> {
        let raw = match raw {
            None => {
                out.push_null();
                return Ok(());
            }
            Some(raw) => raw,
        };
        match self {
            ColumnDecoder::Int2 => out.push_i64(i16::from_be_bytes(fixed(raw)?) as i64),
            ColumnDecoder::Int4 => out.push_i64(i32::from_be_bytes(fixed(raw)?) as i64),
            ColumnDecoder::Int8 if int8_as_bigint => {
                out.push_bigint(i64::from_be_bytes(fixed(raw)?))
            }
            ColumnDecoder::Int8 => out.push_i64(i64::from_be_bytes(fixed(raw)?)),
            ColumnDecoder::Oid => out.push_i64(u32::from_be_bytes(fixed(raw)?) as i64),
            ColumnDecoder::Float4 => out.push_f64(unsigned_zero(float4_as_f64(
                f32::from_be_bytes(fixed(raw)?),
            ))),
            ColumnDecoder::Float8 => out.push_f64(unsigned_zero(f64::from_be_bytes(fixed(raw)?))),
            ColumnDecoder::Bool => out.push_bool(raw.first().copied().unwrap_or(0) != 0),
            ColumnDecoder::Text => out.push_text(utf8(raw)?),
            ColumnDecoder::Json => out.push_json(utf8(raw)?),
            ColumnDecoder::Jsonb => match raw.split_first() {
                Some((1, text)) => out.push_json(utf8(text)?),
                _ => return Err("an unknown jsonb format version".into()),
            },
            ColumnDecoder::Bytea => out.push_bytes(raw),
            ColumnDecoder::Timestamp => {
                let micros = i64::from_be_bytes(fixed(raw)?);
                match datetime::timestamp_ms(micros) {
                    Ok(ms) => out.push_timestamp_ms(ms),
                    // Infinity and BC instants have no Date: they stay Postgres' text, and the
                    // reader's datetime() fails on them as the pg driver's does (lazily, per cell).
                    Err(_) => {
                        let (text, start) = out.text_writer();
                        datetime::write_timestamp_text(micros, true, text);
                        out.finish_text(start, tag::TEXT);
                    }
                }
            }
            ColumnDecoder::Unsupported(name) => return Err(unsupported(name)),
            _ => {
                let (text, start) = out.text_writer();
                if let Err(why) = self.write_text(raw, text) {
                    text.truncate(start);
                    return Err(why);
                }
                out.finish_text(start, tag::TEXT);
            }
        }
        Ok(())
    }

    /// The cell as Postgres' text output (for TEXT cells and array elements).
    fn write_text(&self, raw: &[u8], out: &mut String) -> Result<(), String> {
        match self {
            ColumnDecoder::Int2 => write!(out, "{}", i16::from_be_bytes(fixed(raw)?)).ok(),
            ColumnDecoder::Int4 => write!(out, "{}", i32::from_be_bytes(fixed(raw)?)).ok(),
            ColumnDecoder::Int8 => write!(out, "{}", i64::from_be_bytes(fixed(raw)?)).ok(),
            ColumnDecoder::Oid => write!(out, "{}", u32::from_be_bytes(fixed(raw)?)).ok(),
            ColumnDecoder::Float4 => {
                write_float(f32::from_be_bytes(fixed(raw)?) as f64, 6, out);
                Some(())
            }
            ColumnDecoder::Float8 => {
                write_float(f64::from_be_bytes(fixed(raw)?), 15, out);
                Some(())
            }
            ColumnDecoder::Bool => {
                out.push(if raw.first().copied().unwrap_or(0) != 0 {
                    't'
                } else {
                    'f'
                });
                Some(())
            }
            ColumnDecoder::Text | ColumnDecoder::Json => {
                out.push_str(utf8(raw)?);
                Some(())
            }
            ColumnDecoder::Jsonb => {
                out.push_str(utf8(raw.get(1..).unwrap_or_default())?);
                Some(())
            }
            ColumnDecoder::Char => {
                // "char" holds one byte; Postgres prints bytes past ASCII as octal escapes.
                match raw.first() {
                    None => {}
                    Some(&b) if b < 0x80 => out.push(b as char),
                    Some(&b) => {
                        let _ = write!(out, "\\{b:03o}");
                    }
                }
                Some(())
            }
            ColumnDecoder::Numeric => write_numeric(raw, out),
            ColumnDecoder::Date => {
                datetime::write_date(i32::from_be_bytes(fixed(raw)?), out);
                Some(())
            }
            ColumnDecoder::Time => {
                datetime::write_time(i64::from_be_bytes(fixed(raw)?), out);
                Some(())
            }
            ColumnDecoder::TimeTz => {
                let bytes: [u8; 12] = fixed(raw)?;
                let micros = i64::from_be_bytes(bytes[..8].try_into().unwrap_or_default());
                let zone = i32::from_be_bytes(bytes[8..].try_into().unwrap_or_default());
                datetime::write_timetz(micros, zone, out);
                Some(())
            }
            ColumnDecoder::Timestamp => {
                // Only reached inside arrays, where Postgres prints the zone of timestamptz;
                // the element decoder does not know which of the two it is, so arrays of
                // timestamps print as timestamptz at UTC.
                datetime::write_timestamp_text(i64::from_be_bytes(fixed(raw)?), true, out);
                Some(())
            }
            ColumnDecoder::Uuid => {
                let b: [u8; 16] = fixed(raw)?;
                for (i, byte) in b.iter().enumerate() {
                    if matches!(i, 4 | 6 | 8 | 10) {
                        out.push('-');
                    }
                    let _ = write!(out, "{byte:02x}");
                }
                Some(())
            }
            ColumnDecoder::Bytea => {
                out.push_str("\\x");
                for byte in raw {
                    let _ = write!(out, "{byte:02x}");
                }
                Some(())
            }
            ColumnDecoder::Array(element) => write_array(element, raw, out),
            ColumnDecoder::Unsupported(name) => return Err(unsupported(name)),
        }
        .ok_or_else(|| "malformed binary data".to_string())
    }
}

fn unsupported(name: &str) -> String {
    format!(
        "it has the Postgres type {name}, which the native driver cannot read; \
         cast it to text in the SQL (\"…::text\")"
    )
}

fn fixed<const N: usize>(raw: &[u8]) -> Result<[u8; N], String> {
    raw.try_into()
        .map_err(|_| format!("expected {N} bytes, got {}", raw.len()))
}

fn utf8(raw: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(raw).map_err(|_| "the text is not valid UTF-8".to_string())
}

/// A float4 as the number its shortest decimal text reads as: Postgres prints 0.1::float4 as
/// "0.1", which the JavaScript driver reads as the double 0.1, not 0.100000001490116.
fn float4_as_f64(v: f32) -> f64 {
    if v.is_finite() {
        v.to_string().parse().unwrap_or(v as f64)
    } else {
        v as f64
    }
}

/// Postgres' float output (shortest exact digits; exponent form below 1e-4 and from
/// 10^`digits` on, with at least two exponent digits).
fn write_float(v: f64, digits: i32, out: &mut String) {
    if v.is_nan() {
        return out.push_str("NaN");
    }
    if v.is_infinite() {
        return out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    }
    let sci = if digits == 6 {
        format!("{:e}", v as f32)
    } else {
        format!("{v:e}")
    };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= digits {
        let _ = write!(
            out,
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    } else if digits == 6 {
        let _ = write!(out, "{}", v as f32);
    } else {
        let _ = write!(out, "{v}");
    }
}

/// Postgres' array text: "{1,2}", nested braces per dimension, NULL, elements quoted when they
/// are empty, spell NULL, or hold braces, commas, quotes, backslashes or white space; bounds
/// other than 1 prefixed ("[0:1]={…}").
fn write_array(element: &ColumnDecoder, raw: &[u8], out: &mut String) -> Option<()> {
    let int = |at: usize| -> Option<i32> {
        raw.get(at..at + 4)
            .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let ndim = int(0)? as usize;
    if ndim == 0 {
        out.push_str("{}");
        return Some(());
    }
    let mut dims = Vec::with_capacity(ndim);
    for d in 0..ndim {
        dims.push((int(12 + d * 8)? as usize, int(16 + d * 8)?));
    }
    if dims.iter().any(|&(_, lower)| lower != 1) {
        for &(len, lower) in &dims {
            let _ = write!(out, "[{}:{}]", lower, lower + len as i32 - 1);
        }
        out.push('=');
    }
    let mut at = 12 + ndim * 8;
    let total: usize = dims.iter().map(|&(len, _)| len).product();
    let mut element_text = String::new();
    for index in 0..total {
        // Open the braces of every dimension this element starts.
        let mut stride = total;
        for &(len, _) in &dims {
            stride /= len.max(1);
            if index % (stride * len) == 0 {
                out.push('{');
            }
        }
        let len = int(at)?;
        at += 4;
        if len < 0 {
            out.push_str("NULL");
        } else {
            let bytes = raw.get(at..at + len as usize)?;
            at += len as usize;
            element_text.clear();
            element.write_text(bytes, &mut element_text).ok()?;
            write_array_element(&element_text, out);
        }
        // Close the braces of every dimension this element ends, then the separator.
        let mut stride = 1;
        let mut closed = 0;
        for &(len, _) in dims.iter().rev() {
            stride *= len;
            if (index + 1) % stride == 0 {
                out.push('}');
                closed += 1;
            }
        }
        if closed < ndim {
            out.push(',');
        }
    }
    Some(())
}

fn write_array_element(text: &str, out: &mut String) {
    let needs_quotes = text.is_empty()
        || text.eq_ignore_ascii_case("NULL")
        || text.bytes().any(|b| {
            matches!(
                b,
                b'{' | b'}' | b',' | b'"' | b'\\' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
            )
        });
    if !needs_quotes {
        return out.push_str(text);
    }
    out.push('"');
    for ch in text.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columnar::Encoded;

    fn text_of(decoder: &ColumnDecoder, raw: &[u8]) -> String {
        let mut s = String::new();
        decoder.write_text(raw, &mut s).unwrap();
        s
    }

    fn int4_array(dims: &[(i32, i32)], items: &[Option<i32>]) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(&(dims.len() as i32).to_be_bytes());
        raw.extend_from_slice(&0i32.to_be_bytes());
        raw.extend_from_slice(&23u32.to_be_bytes());
        for (len, lower) in dims {
            raw.extend_from_slice(&len.to_be_bytes());
            raw.extend_from_slice(&lower.to_be_bytes());
        }
        for item in items {
            match item {
                None => raw.extend_from_slice(&(-1i32).to_be_bytes()),
                Some(v) => {
                    raw.extend_from_slice(&4i32.to_be_bytes());
                    raw.extend_from_slice(&v.to_be_bytes());
                }
            }
        }
        raw
    }

    #[test]
    fn arrays_print_as_postgres_does() {
        let array = ColumnDecoder::Array(Box::new(ColumnDecoder::Int4));
        assert_eq!(
            text_of(&array, &int4_array(&[(3, 1)], &[Some(1), None, Some(-3)])),
            "{1,NULL,-3}"
        );
        assert_eq!(
            text_of(
                &array,
                &int4_array(&[(2, 1), (2, 1)], &[Some(1), Some(2), Some(3), Some(4)])
            ),
            "{{1,2},{3,4}}"
        );
        assert_eq!(
            text_of(&array, &int4_array(&[(1, 0)], &[Some(7)])),
            "[0:0]={7}"
        );
        assert_eq!(text_of(&array, &int4_array(&[], &[])), "{}");
        let mut quoted = String::new();
        for t in ["a b", "", "null", "x\"y\\", "plain"] {
            write_array_element(t, &mut quoted);
            quoted.push('|');
        }
        assert_eq!(quoted, "\"a b\"|\"\"|\"null\"|\"x\\\"y\\\\\"|plain|");
    }

    #[test]
    fn floats_print_as_postgres_does() {
        let f8 = |v: f64| {
            let mut s = String::new();
            write_float(v, 15, &mut s);
            s
        };
        assert_eq!(f8(1.5), "1.5");
        assert_eq!(f8(1e21), "1e+21");
        assert_eq!(f8(0.0001), "0.0001");
        assert_eq!(f8(0.00001), "1e-05");
        assert_eq!(f8(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(float4_as_f64(0.1f32), 0.1f64);
    }

    #[test]
    fn negative_zero_reads_as_zero() {
        let mut out = ResultBuilder::new(vec!["f4".into(), "f8".into()]);
        ColumnDecoder::Float4
            .push(Some(&(-0.0f32).to_be_bytes()), &mut out, false)
            .unwrap();
        ColumnDecoder::Float8
            .push(Some(&(-0.0f64).to_be_bytes()), &mut out, false)
            .unwrap();
        let e = out.finish();
        for c in 0..2 {
            let at = c * Encoded::stride(1) + 8;
            let v = f64::from_bits(u64::from_le_bytes(e.buffer[at..at + 8].try_into().unwrap()));
            assert_eq!(v.to_bits(), 0f64.to_bits(), "column {c}");
        }
        assert_eq!(unsigned_zero(-1.5), -1.5);
        assert!(unsigned_zero(f64::NAN).is_nan());
    }

    #[test]
    fn uuid_numeric_and_unsupported() {
        let uuid: Vec<u8> = (0u8..16).collect();
        assert_eq!(
            text_of(&ColumnDecoder::Uuid, &uuid),
            "00010203-0405-0607-0809-0a0b0c0d0e0f"
        );
        let mut b = ResultBuilder::new(vec!["i".into()]);
        let err = ColumnDecoder::for_type(&Type::INTERVAL)
            .push(Some(&[0; 16]), &mut b, false)
            .unwrap_err();
        assert!(err.contains("interval"));
        assert_eq!(
            ColumnDecoder::for_type(&Type::INT4_ARRAY),
            ColumnDecoder::Array(Box::new(ColumnDecoder::Int4))
        );
    }
}
