//! One value → one cell of `COPY … FROM STDIN (FORMAT binary)`, for the column's type and type
//! modifier, or `NotExact` when the binary form would not store exactly what an INSERT of the
//! same value stores (the caller then falls back to INSERT). A cell written here is stored
//! byte for byte as sent, so reading the same bytes back with the result decoders
//! (`decode::ColumnDecoder`) gives what `INSERT … RETURNING` would have returned; the one
//! exception is jsonb, which the server re-orders (`jsonb_order`).
//!
//! The runtime has already checked and canonicalised every value (runtime/dialect/encode.ts):
//! decimals are plain digits padded to their places, instants `Date.toISOString()`, dates
//! `YYYY-MM-DD`, times `HH:MM:SS[.ffffff]`, JSON `JSON.stringify`. Anything else is `NotExact`.

use crate::value::Value;

/// Built-in type oids the encoder knows.
pub mod oid {
    pub const BOOL: u32 = 16;
    pub const BYTEA: u32 = 17;
    pub const INT8: u32 = 20;
    pub const INT2: u32 = 21;
    pub const INT4: u32 = 23;
    pub const TEXT: u32 = 25;
    pub const JSON: u32 = 114;
    pub const FLOAT4: u32 = 700;
    pub const FLOAT8: u32 = 701;
    pub const VARCHAR: u32 = 1043;
    pub const DATE: u32 = 1082;
    pub const TIME: u32 = 1083;
    pub const TIMESTAMP: u32 = 1114;
    pub const TIMESTAMPTZ: u32 = 1184;
    pub const NUMERIC: u32 = 1700;
    pub const UUID: u32 = 2950;
    pub const JSONB: u32 = 3802;
}

/// A column as the catalog describes it (`pg_attribute.atttypid`, `atttypmod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnType {
    pub oid: u32,
    pub typmod: i32,
}

/// Why a value cannot go through COPY exactly (the caller falls back to INSERT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotExact(pub &'static str);

/// The signature, flags and header-extension length that open every binary COPY stream.
pub const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// The field count -1 that ends it.
pub const TRAILER: &[u8] = &[0xff, 0xff];

const POSTGRES_EPOCH_UNIX_DAYS: i64 = 10_957;
const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Appends `value` as one cell (length word, then bytes; -1 for NULL).
pub fn encode_cell(value: &Value, column: ColumnType, out: &mut Vec<u8>) -> Result<(), NotExact> {
    if *value == Value::Null {
        out.extend_from_slice(&(-1i32).to_be_bytes());
        return Ok(());
    }
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    encode_payload(value, column, out)?;
    let len = (out.len() - start - 4) as i32;
    out[start..start + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

fn encode_payload(value: &Value, column: ColumnType, out: &mut Vec<u8>) -> Result<(), NotExact> {
    match (column.oid, value) {
        (oid::BOOL, Value::Bool(b)) => out.push(*b as u8),
        (oid::INT2, v) => out.extend_from_slice(
            &(integer(v, i16::MIN as i64, i16::MAX as i64)? as i16).to_be_bytes(),
        ),
        (oid::INT4, v) => out.extend_from_slice(
            &(integer(v, i32::MIN as i64, i32::MAX as i64)? as i32).to_be_bytes(),
        ),
        (oid::INT8, v) => out.extend_from_slice(&integer(v, i64::MIN, i64::MAX)?.to_be_bytes()),
        (oid::FLOAT8, Value::Number(n)) => out.extend_from_slice(&n.to_be_bytes()),
        (oid::FLOAT4, Value::Number(n)) => {
            let narrow = *n as f32;
            if narrow as f64 != *n && !n.is_nan() {
                return Err(NotExact("a float4 column would round the number"));
            }
            out.extend_from_slice(&narrow.to_be_bytes());
        }
        (oid::TEXT, Value::Text(s)) => out.extend_from_slice(s.as_bytes()),
        (oid::VARCHAR, Value::Text(s)) => {
            if column.typmod >= 4 && s.chars().count() > (column.typmod - 4) as usize {
                return Err(NotExact("longer than the varchar column"));
            }
            out.extend_from_slice(s.as_bytes());
        }
        (oid::BYTEA, Value::Bytes(b)) => out.extend_from_slice(b),
        (oid::JSON, Value::Text(s)) => out.extend_from_slice(s.as_bytes()),
        (oid::JSONB, Value::Text(s)) => {
            out.push(1);
            out.extend_from_slice(s.as_bytes());
        }
        (oid::UUID, Value::Text(s)) => out.extend_from_slice(&uuid(s)?),
        (oid::DATE, Value::Text(s)) => out.extend_from_slice(&(date_days(s)? as i32).to_be_bytes()),
        (oid::TIME, Value::Text(s)) => {
            out.extend_from_slice(&time_micros(s, column.typmod)?.to_be_bytes())
        }
        (oid::TIMESTAMP | oid::TIMESTAMPTZ, Value::Text(s)) => {
            out.extend_from_slice(&instant_micros(s, column.typmod)?.to_be_bytes())
        }
        (oid::NUMERIC, v) => numeric(v, column.typmod, out)?,
        _ => return Err(NotExact("a value or column type COPY does not encode")),
    }
    Ok(())
}

fn integer(value: &Value, min: i64, max: i64) -> Result<i64, NotExact> {
    let n = match value {
        Value::Number(n) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 => *n as i64,
        Value::BigInt(n) => *n,
        _ => return Err(NotExact("not an integer")),
    };
    if n < min || n > max {
        return Err(NotExact("out of the integer column's range"));
    }
    Ok(n)
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// "8-4-4-4-12" hexadecimal → 16 bytes.
fn uuid(s: &str) -> Result<[u8; 16], NotExact> {
    let b = s.as_bytes();
    let bad = NotExact("not a hyphenated UUID");
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return Err(bad);
    }
    let hex: Vec<u8> = b.iter().copied().filter(|c| *c != b'-').collect();
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        let high = (pair[0] as char)
            .to_digit(16)
            .ok_or(NotExact("not a hyphenated UUID"))?;
        let low = (pair[1] as char)
            .to_digit(16)
            .ok_or(NotExact("not a hyphenated UUID"))?;
        out[i] = (high * 16 + low) as u8;
    }
    Ok(out)
}

/// Days from 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// "YYYY-MM-DD" (years 1–9999) → days since 2000-01-01.
fn date_days(s: &str) -> Result<i64, NotExact> {
    let bad = NotExact("not a YYYY-MM-DD date");
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad);
    }
    let (year, month, day) = match (digits(&s[0..4]), digits(&s[5..7]), digits(&s[8..10])) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(bad),
    };
    if year < 1 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(bad);
    }
    Ok(days_from_civil(year, month, day) - POSTGRES_EPOCH_UNIX_DAYS)
}

/// "HH:MM:SS[.f…]" (up to 6 fraction digits) → microseconds.
fn clock_micros(s: &str, precision: Option<usize>) -> Result<i64, NotExact> {
    let bad = NotExact("not an HH:MM:SS[.ffffff] time");
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return Err(bad);
    }
    let (h, m, sec) = match (digits(&s[0..2]), digits(&s[3..5]), digits(&s[6..8])) {
        (Some(h), Some(m), Some(sec)) if h < 24 && m < 60 && sec < 60 => (h, m, sec),
        _ => return Err(bad),
    };
    let fraction = match &s[8..] {
        "" => "",
        rest if rest.starts_with('.') && rest.len() <= 7 && rest.len() > 1 => &rest[1..],
        _ => return Err(bad),
    };
    if precision.is_some_and(|p| fraction.len() > p) {
        return Err(NotExact("more fraction digits than the column keeps"));
    }
    let micros = if fraction.is_empty() {
        0
    } else {
        digits(fraction).ok_or(bad)? * 10i64.pow(6 - fraction.len() as u32)
    };
    Ok(((h * 60 + m) * 60 + sec) * 1_000_000 + micros)
}

/// A time or timestamp column's fraction digits (`time(p)`), `None` for the default 6.
fn precision(typmod: i32) -> Option<usize> {
    (typmod >= 0).then_some(typmod as usize)
}

fn time_micros(s: &str, typmod: i32) -> Result<i64, NotExact> {
    clock_micros(s, precision(typmod))
}

/// "YYYY-MM-DDTHH:MM:SS[.f…]Z" (what `Date.toISOString()` writes) → microseconds since
/// 2000-01-01 UTC; timestamp without zone columns store the same wall time (the session is UTC).
fn instant_micros(s: &str, typmod: i32) -> Result<i64, NotExact> {
    let bad = NotExact("not an ISO-8601 UTC instant");
    if s.len() < 20 || !s.ends_with('Z') || s.as_bytes()[10] != b'T' {
        return Err(bad);
    }
    let days = date_days(&s[..10])?;
    let micros = clock_micros(&s[11..s.len() - 1], precision(typmod))?;
    Ok(days * MICROS_PER_DAY + micros)
}

/// A plain decimal (`-?digits[.digits]`, as `checkDecimal` writes it, or a number) → NUMERIC's
/// binary form with the column's scale: base-10000 groups, weight, sign, display scale.
fn numeric(value: &Value, typmod: i32, out: &mut Vec<u8>) -> Result<(), NotExact> {
    let mut owned = String::new();
    let text: &str = match value {
        Value::Text(s) => s,
        Value::BigInt(n) => {
            owned = n.to_string();
            &owned
        }
        Value::Number(n) if n.is_finite() => {
            super::binder::write_js_number(*n, &mut owned);
            &owned
        }
        _ => return Err(NotExact("not a decimal")),
    };
    let bad = NotExact("not a plain decimal");
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty() || !plain(int_part) || !plain(frac_part) || unsigned.ends_with('.') {
        return Err(bad);
    }
    let int_part = int_part.trim_start_matches('0');
    let scale = if typmod >= 4 {
        let precision = (((typmod - 4) >> 16) & 0xffff) as usize;
        let scale = ((typmod - 4) & 0xffff) as usize;
        if frac_part.len() > scale {
            return Err(NotExact("more decimal places than the column keeps"));
        }
        if int_part.len() > precision.saturating_sub(scale) {
            return Err(NotExact("more digits than the column holds"));
        }
        scale
    } else {
        frac_part.len()
    };
    if scale > 0x3fff {
        return Err(bad);
    }
    // Digits with the point at a multiple of 4: integer part padded on the left, fraction on
    // the right, then cut into base-10000 groups.
    let int_pad = (4 - int_part.len() % 4) % 4;
    let frac_pad = (4 - frac_part.len() % 4) % 4;
    let mut all = String::with_capacity(int_pad + int_part.len() + frac_part.len() + frac_pad);
    all.extend(std::iter::repeat_n('0', int_pad));
    all.push_str(int_part);
    all.push_str(frac_part);
    all.extend(std::iter::repeat_n('0', frac_pad));
    let mut groups: Vec<u16> = all
        .as_bytes()
        .chunks(4)
        .map(|g| g.iter().fold(0u16, |acc, d| acc * 10 + (d - b'0') as u16))
        .collect();
    let mut weight = ((int_pad + int_part.len()) / 4) as i32 - 1;
    while groups.first() == Some(&0) {
        groups.remove(0);
        weight -= 1;
    }
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    let sign: u16 = if negative && !groups.is_empty() {
        0x4000
    } else {
        0
    };
    out.extend_from_slice(&(groups.len() as u16).to_be_bytes());
    out.extend_from_slice(&(weight as i16).to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&(scale as u16).to_be_bytes());
    for g in groups {
        out.extend_from_slice(&g.to_be_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::numeric::write_numeric;

    fn cell(value: Value, oid: u32, typmod: i32) -> Result<Vec<u8>, NotExact> {
        let mut out = Vec::new();
        encode_cell(&value, ColumnType { oid, typmod }, &mut out)?;
        Ok(out[4..].to_vec())
    }

    fn decimal(text: &str, typmod: i32) -> Result<String, NotExact> {
        let bytes = cell(Value::Text(text.into()), oid::NUMERIC, typmod)?;
        let mut s = String::new();
        write_numeric(&bytes, &mut s).expect("valid numeric bytes");
        Ok(s)
    }

    /// numeric(p, s)'s type modifier.
    fn numeric_mod(p: i32, s: i32) -> i32 {
        ((p << 16) | s) + 4
    }

    #[test]
    fn decimals_take_the_column_scale() {
        assert_eq!(decimal("12.5", numeric_mod(10, 2)).unwrap(), "12.50");
        assert_eq!(decimal("-0.00", numeric_mod(10, 2)).unwrap(), "0.00");
        assert_eq!(
            decimal("123456789.01", numeric_mod(12, 2)).unwrap(),
            "123456789.01"
        );
        assert_eq!(decimal("10000", -1).unwrap(), "10000");
        assert_eq!(decimal("-0.0001", -1).unwrap(), "-0.0001");
        assert_eq!(
            decimal("98765432109876543210.123456789", -1).unwrap(),
            "98765432109876543210.123456789"
        );
        assert!(decimal("1.234", numeric_mod(10, 2)).is_err());
        assert!(decimal("123456789", numeric_mod(10, 2)).is_err());
        assert!(decimal("1e5", -1).is_err());
        assert!(decimal(".5", -1).is_err());
    }

    #[test]
    fn instants_dates_and_times() {
        let micros = |s: &str| {
            i64::from_be_bytes(
                cell(Value::Text(s.into()), oid::TIMESTAMPTZ, -1)
                    .unwrap()
                    .try_into()
                    .unwrap(),
            )
        };
        assert_eq!(micros("2000-01-01T00:00:00.000Z"), 0);
        assert_eq!(
            micros("1970-01-01T00:00:00.001Z"),
            -946_684_800_000_000 + 1000
        );
        assert_eq!(micros("2024-02-29T12:34:56.789Z"), 762_525_296_789_000);
        assert_eq!(micros("2024-02-29T12:34:56.789123Z"), 762_525_296_789_123);
        assert!(cell(
            Value::Text("2024-02-30T00:00:00.000Z".into()),
            oid::TIMESTAMPTZ,
            -1
        )
        .is_err());
        assert!(cell(
            Value::Text("2024-01-01T00:00:00+01:00".into()),
            oid::TIMESTAMPTZ,
            -1
        )
        .is_err());
        assert_eq!(
            cell(Value::Text("2000-01-02".into()), oid::DATE, -1).unwrap(),
            1i32.to_be_bytes()
        );
        assert_eq!(
            cell(Value::Text("0001-01-01".into()), oid::DATE, -1).unwrap(),
            (-730_119i32).to_be_bytes()
        );
        assert_eq!(
            cell(Value::Text("01:02:03.5".into()), oid::TIME, -1).unwrap(),
            3_723_500_000i64.to_be_bytes()
        );
        assert!(cell(Value::Text("01:02:03.123".into()), oid::TIME, 2).is_err());
    }

    #[test]
    fn integers_uuids_and_text() {
        assert_eq!(
            cell(Value::Number(7.0), oid::INT4, -1).unwrap(),
            7i32.to_be_bytes()
        );
        assert!(cell(Value::Number(3e9), oid::INT4, -1).is_err());
        assert!(cell(Value::Number(1.5), oid::INT8, -1).is_err());
        assert_eq!(
            cell(Value::BigInt(-5), oid::INT8, -1).unwrap(),
            (-5i64).to_be_bytes()
        );
        assert_eq!(
            cell(
                Value::Text("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11".into()),
                oid::UUID,
                -1
            )
            .unwrap()[..3],
            [0xa0, 0xee, 0xbc]
        );
        assert!(cell(
            Value::Text("a0eebc999c0b4ef8bb6d6bb9bd380a11".into()),
            oid::UUID,
            -1
        )
        .is_err());
        assert!(cell(Value::Text("héllo".into()), oid::VARCHAR, 4 + 5).is_ok());
        assert!(cell(Value::Text("héllo!".into()), oid::VARCHAR, 4 + 5).is_err());
        assert!(cell(Value::Number(0.1), oid::FLOAT4, -1).is_err());
        assert!(cell(Value::Number(0.5), oid::FLOAT4, -1).is_ok());
        assert!(cell(Value::Text("x".into()), 99_999, -1).is_err());
        let mut null = Vec::new();
        encode_cell(
            &Value::Null,
            ColumnType {
                oid: oid::TEXT,
                typmod: -1,
            },
            &mut null,
        )
        .unwrap();
        assert_eq!(null, (-1i32).to_be_bytes());
    }
}
