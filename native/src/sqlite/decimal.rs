//! Exact aggregates of decimals, which the SQLite dialect stores as canonical text
//! ("12345678901234567890.1234567890"): SQLite's own SUM/MIN/MAX/AVG would read that text as a
//! REAL (15–17 significant digits) and return values that were never stored. The same as the
//! better-sqlite3 driver's (runtime/dialect/sqlite/decimal-aggregates.ts), with the same results:
//!
//! - `yara_decimal_min(x)` / `yara_decimal_max(x)`: the stored text of the least / greatest
//!   value, compared as numbers (sign, integer digits, then digit by digit), never as floats;
//! - `yara_decimal_sum(x)`: the exact sum, as decimal text with as many places as the value with
//!   the most (a field's values all have its places, so the sum has them too, as on Postgres);
//! - `yara_decimal_avg(x)`: the double nearest to the exact average (sum / count).
//!
//! NULLs are skipped, and over no value each is NULL. A value is plain decimal text
//! (`-?\d+(\.\d+)?`, what the dialect stores) or an integer; anything else (a REAL, a BLOB, other
//! text, which yara never writes in a decimal column) fails the statement.
//!
//! A sum is an `i128` scaled by 10^places while it fits (about 38 digits, far past what most
//! fields' sums reach), then a signed big integer in base 10^9 of any size.

use std::cmp::Ordering;

use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

pub const YARA_DECIMAL_MIN: &str = "yara_decimal_min";
pub const YARA_DECIMAL_MAX: &str = "yara_decimal_max";
pub const YARA_DECIMAL_SUM: &str = "yara_decimal_sum";
pub const YARA_DECIMAL_AVG: &str = "yara_decimal_avg";

/// Registers the four aggregates on `conn`.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_aggregate_function(YARA_DECIMAL_MIN, 1, flags, Extreme(Ordering::Less))?;
    conn.create_aggregate_function(YARA_DECIMAL_MAX, 1, flags, Extreme(Ordering::Greater))?;
    conn.create_aggregate_function(YARA_DECIMAL_SUM, 1, flags, SumOf)?;
    conn.create_aggregate_function(YARA_DECIMAL_AVG, 1, flags, AvgOf)?;
    Ok(())
}

/// A plain decimal read: its sign, integer digits past leading zeros, fraction digits.
#[derive(Clone, Copy, Debug)]
struct Plain<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
}

impl<'a> Plain<'a> {
    /// `-?\d+(\.\d+)?`, else None.
    fn parse(text: &'a [u8]) -> Option<Self> {
        let (negative, rest) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
        let (int, frac) = match rest.iter().position(|&c| c == b'.') {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        if !digits(int) || (int.len() < rest.len() && !digits(frac)) {
            return None;
        }
        let first = int.iter().position(|&c| c != b'0').unwrap_or(int.len());
        Some(Plain {
            negative,
            int: &int[first..],
            frac,
        })
    }

    fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.iter().all(|&c| c == b'0')
    }

    /// -1, 0 or 1; 0 for every spelling of zero ("-0.00").
    fn sign(&self) -> i8 {
        match (self.is_zero(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }
}

/// Compares two plain decimals as numbers: by sign, then their magnitudes by the number of
/// integer digits, then digit by digit, the shorter fraction read with zeros after it.
fn compare(a: &Plain<'_>, b: &Plain<'_>) -> Ordering {
    let (sa, sb) = (a.sign(), b.sign());
    if sa != sb || sa == 0 {
        return sa.cmp(&sb);
    }
    let width = a.frac.len().max(b.frac.len());
    let digit = |s: &[u8], k: usize| s.get(k).copied().unwrap_or(b'0');
    let magnitude = a.int.len().cmp(&b.int.len()).then_with(|| {
        a.int.cmp(b.int).then_with(|| {
            (0..width)
                .map(|k| digit(a.frac, k).cmp(&digit(b.frac, k)))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
    });
    if sa < 0 {
        magnitude.reverse()
    } else {
        magnitude
    }
}

/// Calls `f` with the argument's text and its reading unless it is NULL: an integer is read as
/// its digits, anything else that is no plain decimal is an error naming the aggregate.
fn each_value(
    ctx: &Context<'_>,
    name: &str,
    f: impl FnOnce(&[u8], &Plain<'_>),
) -> rusqlite::Result<()> {
    let not = |storage: &str| {
        Err(rusqlite::Error::UserFunctionError(
            format!("{name}(): a {storage} value is not a decimal").into(),
        ))
    };
    let digits;
    let text = match ctx.get_raw(0) {
        ValueRef::Null => return Ok(()),
        ValueRef::Text(t) => t,
        ValueRef::Integer(i) => {
            digits = i.to_string();
            digits.as_bytes()
        }
        ValueRef::Real(_) => return not("REAL"),
        ValueRef::Blob(_) => return not("BLOB"),
    };
    match Plain::parse(text) {
        Some(plain) => {
            f(text, &plain);
            Ok(())
        }
        None => not("TEXT"),
    }
}

/// `yara_decimal_min` (`Less`) / `yara_decimal_max` (`Greater`): the first such value stored.
struct Extreme(Ordering);

impl Aggregate<Option<Vec<u8>>, Value> for Extreme {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Option<Vec<u8>>> {
        Ok(None)
    }

    fn step(&self, ctx: &mut Context<'_>, best: &mut Option<Vec<u8>>) -> rusqlite::Result<()> {
        let name = if self.0 == Ordering::Less {
            YARA_DECIMAL_MIN
        } else {
            YARA_DECIMAL_MAX
        };
        each_value(ctx, name, |text, value| {
            let better = match best {
                None => true,
                Some(b) => compare(value, &Plain::parse(b).expect("a decimal kept")) == self.0,
            };
            if better {
                *best = Some(text.to_vec());
            }
        })
    }

    fn finalize(
        &self,
        _: &mut Context<'_>,
        best: Option<Option<Vec<u8>>>,
    ) -> rusqlite::Result<Value> {
        Ok(match best.flatten() {
            Some(b) => Value::Text(String::from_utf8(b).expect("ASCII digits")),
            None => Value::Null,
        })
    }
}

/// An exact sum of decimals and how many were added.
#[derive(Debug, Default, Clone, PartialEq)]
struct Total {
    /// The sum scaled by 10^places.
    value: Scaled,
    /// The most places of a value added.
    places: usize,
    count: u64,
}

#[derive(Debug, Clone, PartialEq)]
enum Scaled {
    Small(i128),
    Big(Big),
}

impl Default for Scaled {
    fn default() -> Self {
        Scaled::Small(0)
    }
}

impl Total {
    fn add(&mut self, d: &Plain<'_>) {
        let places = d.frac.len();
        if places > self.places {
            self.rescale(places - self.places);
            self.places = places;
        }
        let pad = self.places - places;
        self.count += 1;
        if let Scaled::Small(total) = self.value {
            if let Some(sum) = small(d, pad).and_then(|v| total.checked_add(v)) {
                self.value = Scaled::Small(sum);
                return;
            }
            self.value = Scaled::Big(Big::from_i128(total));
        }
        if let Scaled::Big(total) = &mut self.value {
            total.add(&Big::from_plain(d, pad));
        }
    }

    /// Multiplies the sum by 10^k.
    fn rescale(&mut self, k: usize) {
        if let Scaled::Small(total) = self.value {
            let factor = u32::try_from(k).ok().and_then(|k| 10i128.checked_pow(k));
            if let Some(scaled) = factor.and_then(|f| total.checked_mul(f)) {
                self.value = Scaled::Small(scaled);
                return;
            }
            self.value = Scaled::Big(Big::from_i128(total));
        }
        if let Scaled::Big(total) = &mut self.value {
            total.mul_pow10(k);
        }
    }

    /// The sign and the digits of the scaled sum's magnitude.
    fn digits(&self) -> (bool, String) {
        match &self.value {
            Scaled::Small(v) => (*v < 0, v.unsigned_abs().to_string()),
            Scaled::Big(b) => (b.negative, b.magnitude_digits()),
        }
    }

    /// The sum as decimal text with `places` places ("-0.50"); zero has no sign. None over no value.
    fn text(&self) -> Option<String> {
        if self.count == 0 {
            return None;
        }
        let (negative, digits) = self.digits();
        let places = self.places;
        let digits = format!("{digits:0>width$}", width = places + 1);
        let (int, frac) = digits.split_at(digits.len() - places);
        let sign = if negative { "-" } else { "" };
        Some(if places == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        })
    }

    /// The double nearest to the exact average, ties to even. None over no value.
    ///
    /// The quotient of the scaled sum by the count is written out in decimal — the integer
    /// quotient, then fraction digits until 800 significant ones — with a last `1` when a
    /// remainder is left, and read by Rust's float parser, which rounds any decimal text
    /// correctly. That is exact: a midpoint between two doubles has at most 767 significant
    /// digits, so none lies strictly between the digits written and the true quotient; the
    /// `1` keeps the text above a midpoint the quotient is above.
    fn mean(&self) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        const SIGNIFICANT: usize = 800;
        let (negative, digits) = self.digits();
        let count = u128::from(self.count);
        let mut out = String::with_capacity(digits.len() + SIGNIFICANT + 16);
        if negative {
            out.push('-');
        }
        out.push_str("0.");
        let mut significant = 0;
        let mut remainder: u128 = 0;
        // Long division: the digits of the sum, then zeros, each giving a digit of the quotient.
        let mut next = digits.bytes().map(|d| u128::from(d - b'0'));
        loop {
            let dividend = match next.next() {
                Some(d) => remainder * 10 + d,
                None if remainder != 0 && significant < SIGNIFICANT => remainder * 10,
                None => break,
            };
            // < 10, as the remainder is less than the count.
            let q = (dividend / count) as u8;
            remainder = dividend % count;
            out.push(char::from(b'0' + q));
            if q != 0 || significant > 0 {
                significant += 1;
            }
        }
        if remainder != 0 {
            out.push('1');
        }
        // 0.<quotient digits> · 10^(integer digits − places).
        let exponent = digits.len() as i64 - self.places as i64;
        out.push_str(&format!("e{exponent}"));
        Some(out.parse().expect("a decimal float"))
    }
}

/// The plain decimal's digits followed by `pad` zeros, as an i128 when they are at most 38
/// (read 18 at a time as u64s).
fn small(d: &Plain<'_>, pad: usize) -> Option<i128> {
    if d.int.len() + d.frac.len() + pad > 38 {
        return None;
    }
    let mut v: i128 = 0;
    for chunk in d.int.chunks(18).chain(d.frac.chunks(18)) {
        let c = chunk
            .iter()
            .fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'));
        v = v * 10i128.pow(chunk.len() as u32) + i128::from(c);
    }
    let v = v * 10i128.pow(pad as u32);
    Some(if d.negative { -v } else { v })
}

/// A signed integer of any size: its magnitude in base 10^9, least significant limb first,
/// without high zero limbs (zero has none and is never negative).
#[derive(Debug, Default, Clone, PartialEq)]
struct Big {
    negative: bool,
    limbs: Vec<u32>,
}

const BASE: u64 = 1_000_000_000;

impl Big {
    fn from_i128(v: i128) -> Big {
        let mut m = v.unsigned_abs();
        let mut limbs = Vec::new();
        while m > 0 {
            limbs.push((m % u128::from(BASE)) as u32);
            m /= u128::from(BASE);
        }
        Big {
            negative: v < 0,
            limbs,
        }
    }

    /// The plain decimal's digits followed by `pad` zeros.
    fn from_plain(d: &Plain<'_>, pad: usize) -> Big {
        let digits: Vec<u8> = d.int.iter().chain(d.frac).copied().collect();
        let mut limbs: Vec<u32> = digits
            .rchunks(9)
            .map(|chunk| chunk.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0')))
            .collect();
        trim(&mut limbs);
        let mut big = Big {
            negative: d.negative && !limbs.is_empty(),
            limbs,
        };
        big.mul_pow10(pad);
        big
    }

    fn mul_pow10(&mut self, k: usize) {
        if self.limbs.is_empty() {
            return;
        }
        let factor = 10u64.pow((k % 9) as u32);
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let v = u64::from(*limb) * factor + carry;
            *limb = (v % BASE) as u32;
            carry = v / BASE;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
        self.limbs.splice(0..0, std::iter::repeat_n(0, k / 9));
    }

    fn add(&mut self, other: &Big) {
        if self.limbs.is_empty() {
            self.clone_from(other);
            return;
        }
        if self.negative == other.negative {
            add_magnitude(&mut self.limbs, &other.limbs);
            return;
        }
        // Opposite signs: the larger magnitude less the smaller, with the larger's sign.
        if compare_magnitude(&self.limbs, &other.limbs) == Ordering::Less {
            let mut larger = other.limbs.clone();
            sub_magnitude(&mut larger, &self.limbs);
            self.limbs = larger;
            self.negative = other.negative;
        } else {
            sub_magnitude(&mut self.limbs, &other.limbs);
        }
        if self.limbs.is_empty() {
            self.negative = false;
        }
    }

    fn magnitude_digits(&self) -> String {
        let Some((top, rest)) = self.limbs.split_last() else {
            return "0".to_owned();
        };
        let mut s = top.to_string();
        for limb in rest.iter().rev() {
            s.push_str(&format!("{limb:09}"));
        }
        s
    }
}

fn trim(limbs: &mut Vec<u32>) {
    while limbs.last() == Some(&0) {
        limbs.pop();
    }
}

fn compare_magnitude(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn add_magnitude(a: &mut Vec<u32>, b: &[u32]) {
    if a.len() < b.len() {
        a.resize(b.len(), 0);
    }
    let mut carry = 0u64;
    for (i, limb) in a.iter_mut().enumerate() {
        let v = u64::from(*limb) + u64::from(b.get(i).copied().unwrap_or(0)) + carry;
        *limb = (v % BASE) as u32;
        carry = v / BASE;
        if carry == 0 && i >= b.len() {
            break;
        }
    }
    if carry > 0 {
        a.push(carry as u32);
    }
}

/// `a -= b`, where `a` is at least `b`.
fn sub_magnitude(a: &mut Vec<u32>, b: &[u32]) {
    let mut borrow = 0i64;
    for (i, limb) in a.iter_mut().enumerate() {
        let mut v = i64::from(*limb) - i64::from(b.get(i).copied().unwrap_or(0)) - borrow;
        borrow = i64::from(v < 0);
        if v < 0 {
            v += BASE as i64;
        }
        *limb = v as u32;
        if borrow == 0 && i >= b.len() {
            break;
        }
    }
    trim(a);
}

/// `yara_decimal_sum`.
struct SumOf;

impl Aggregate<Total, Value> for SumOf {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Total> {
        Ok(Total::default())
    }

    fn step(&self, ctx: &mut Context<'_>, total: &mut Total) -> rusqlite::Result<()> {
        each_value(ctx, YARA_DECIMAL_SUM, |_, value| total.add(value))
    }

    fn finalize(&self, _: &mut Context<'_>, total: Option<Total>) -> rusqlite::Result<Value> {
        Ok(total
            .and_then(|t| t.text())
            .map_or(Value::Null, Value::Text))
    }
}

/// `yara_decimal_avg`.
struct AvgOf;

impl Aggregate<Total, Value> for AvgOf {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Total> {
        Ok(Total::default())
    }

    fn step(&self, ctx: &mut Context<'_>, total: &mut Total) -> rusqlite::Result<()> {
        each_value(ctx, YARA_DECIMAL_AVG, |_, value| total.add(value))
    }

    fn finalize(&self, _: &mut Context<'_>, total: Option<Total>) -> rusqlite::Result<Value> {
        Ok(total
            .and_then(|t| t.mean())
            .map_or(Value::Null, Value::Real))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Plain<'_> {
        Plain::parse(s.as_bytes()).unwrap()
    }

    fn sum(values: &[&str]) -> Total {
        let mut t = Total::default();
        for v in values {
            t.add(&plain(v));
        }
        t
    }

    /// The same sum, taken in base 10^9 from the first value on.
    fn big_sum(values: &[&str]) -> Total {
        let mut t = Total {
            value: Scaled::Big(Big::default()),
            ..Total::default()
        };
        for v in values {
            t.add(&plain(v));
        }
        t
    }

    #[test]
    fn reads_plain_decimals_only() {
        for ok in [
            "0",
            "-0.00",
            "007.50",
            "12345678901234567890.1234567890",
            "-5",
        ] {
            assert!(Plain::parse(ok.as_bytes()).is_some(), "{ok}");
        }
        for bad in [
            "", "-", ".5", "5.", "1e5", "+1", " 1", "1.2.3", "--1", "1,5", "١",
        ] {
            assert!(Plain::parse(bad.as_bytes()).is_none(), "{bad}");
        }
    }

    #[test]
    fn compares_as_numbers_never_as_floats() {
        use Ordering::*;
        for (a, b, expected) in [
            (
                "12345678901234567890.1234567890",
                "12345678901234567890.1234567891",
                Less,
            ),
            (
                "99999999999999999999.9999999999",
                "100000000000000000000",
                Less,
            ),
            ("-0.00", "0", Equal),
            ("-0.01", "0", Less),
            ("007.5", "7.50", Equal),
            ("10", "9.99", Greater),
            ("-10", "-9.99", Less),
            ("-1.5", "1.5", Less),
            ("0.5", "0.45", Greater),
            ("3", "3.0000000000000000000000001", Less),
        ] {
            assert_eq!(compare(&plain(a), &plain(b)), expected, "{a} vs {b}");
            assert_eq!(
                compare(&plain(b), &plain(a)),
                expected.reverse(),
                "{b} vs {a}"
            );
        }
    }

    #[test]
    fn sums_exactly_at_the_most_places() {
        let wide = [
            "12345678901234567890.1234567890",
            "99999999999999999999.9999999999",
            "-0.0000000001",
        ];
        assert_eq!(
            sum(&wide).text().as_deref(),
            Some("112345678901234567890.1234567888")
        );
        assert_eq!(sum(&["1.5", "-1.50"]).text().as_deref(), Some("0.00"));
        assert_eq!(sum(&["-0.25", "0.2"]).text().as_deref(), Some("-0.05"));
        assert_eq!(sum(&["3", "-5"]).text().as_deref(), Some("-2"));
        assert_eq!(sum(&["0.001"]).text().as_deref(), Some("0.001"));
        assert_eq!(Total::default().text(), None);
        // Past an i128: 60 nines three times, less a last place.
        let nines = format!("{}.{}", "9".repeat(60), "9".repeat(5));
        let t = sum(&[&nines, &nines, &nines, "-0.00001"]);
        assert!(matches!(t.value, Scaled::Big(_)));
        assert_eq!(t.text().unwrap(), format!("2{}.99996", "9".repeat(60)));
    }

    #[test]
    fn the_big_integer_agrees_with_i128_and_crosses_zero() {
        // A pseudo-random walk of values around zero, of up to 30 digits and 0 to 12 places.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let values: Vec<String> = (0..2000)
            .map(|_| {
                let int = next() % 1_000_000_000_000_000;
                let frac = next() % 1_000_000_000_000;
                let places = (next() % 13) as usize;
                let frac = format!("{frac:012}");
                let sign = if next() % 2 == 0 { "-" } else { "" };
                if places == 0 {
                    format!("{sign}{int}")
                } else {
                    format!("{sign}{int}.{}", &frac[..places])
                }
            })
            .collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        for n in [1, 2, 3, 10, 100, 2000] {
            let (small, big) = (sum(&refs[..n]), big_sum(&refs[..n]));
            assert!(matches!(small.value, Scaled::Small(_)));
            assert_eq!(small.text(), big.text(), "{n} values");
            assert_eq!(small.mean(), big.mean(), "{n} values");
        }
        // Adding each value's negation comes back to an exact zero, in both.
        let negated: Vec<String> = values
            .iter()
            .map(|v| {
                v.strip_prefix('-')
                    .map_or_else(|| format!("-{v}"), str::to_owned)
            })
            .collect();
        let all: Vec<&str> = refs
            .iter()
            .copied()
            .chain(negated.iter().map(String::as_str))
            .collect();
        assert_eq!(sum(&all).text().unwrap(), format!("0.{}", "0".repeat(12)));
        assert_eq!(big_sum(&all).text(), sum(&all).text());
    }

    #[test]
    fn averages_to_the_nearest_double() {
        let avg = |values: &[&str]| sum(values).mean().unwrap();
        // Postgres: 20000000.12; the REALs summed then divided give 20000000.119999997.
        assert_eq!(
            avg(&["0.10", "0.20", "0.30", "99999999.99", "0.01"]),
            20000000.12
        );
        assert_eq!(avg(&["1", "2"]), 1.5);
        assert_eq!(avg(&["-1", "-2", "0"]), -1.0);
        assert_eq!(avg(&["0.1", "0.2"]), 0.15);
        assert_eq!(avg(&["1", "0", "0"]), 1.0 / 3.0);
        // 2^53 + 1 is halfway between two doubles: ties to even, unless a remainder lies above.
        assert_eq!(avg(&["9007199254740993"]), 9007199254740992.0);
        assert_eq!(avg(&["9007199254740995"]), 9007199254740996.0);
        assert_eq!(
            avg(&[
                "9007199254740993",
                "9007199254740993.000000000000000000000000000002"
            ]),
            9007199254740994.0
        );
        assert_eq!(
            avg(&["18014398509481986", "0", "0", "0"]),
            4503599627370496.0
        );
        let huge = format!("{}.5", "9".repeat(400));
        assert_eq!(avg(&[&huge]), f64::INFINITY);
        let tiny = format!("0.{}1", "0".repeat(400));
        assert_eq!(avg(&[&tiny, "0"]), 0.0);
        assert_eq!(Total::default().mean(), None);
    }

    fn one(conn: &Connection, sql: &str) -> rusqlite::Result<Value> {
        conn.query_row(sql, [], |r| r.get::<_, Value>(0))
    }

    #[test]
    fn aggregates_in_sql_skip_nulls_and_take_distinct_and_filter() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (g INTEGER, d TEXT);
             INSERT INTO t VALUES
               (1, '12345678901234567890.1234567890'), (1, '99999999999999999999.9999999999'),
               (1, NULL), (2, '-0.5000000000'), (2, '-0.5000000000'), (2, '-3.0000000000');",
        )
        .unwrap();
        let text = |s: &str| Value::Text(s.to_owned());
        let rows = |sql: &str| {
            let mut stmt = conn.prepare(sql).unwrap();
            let mapped = stmt
                .query_map([], |r| Ok((r.get::<_, Value>(0)?, r.get::<_, Value>(1)?)))
                .unwrap();
            mapped.collect::<rusqlite::Result<Vec<_>>>().unwrap()
        };
        assert_eq!(
            rows("SELECT yara_decimal_max(d), yara_decimal_min(d) FROM t GROUP BY g ORDER BY g"),
            [
                (
                    text("99999999999999999999.9999999999"),
                    text("12345678901234567890.1234567890")
                ),
                (text("-0.5000000000"), text("-3.0000000000")),
            ]
        );
        assert_eq!(
            rows("SELECT yara_decimal_sum(d), yara_decimal_sum(DISTINCT d) FROM t GROUP BY g ORDER BY g"),
            [
                (text("112345678901234567890.1234567889"), text("112345678901234567890.1234567889")),
                (text("-4.0000000000"), text("-3.5000000000")),
            ]
        );
        assert_eq!(
            one(
                &conn,
                "SELECT yara_decimal_sum(d) FILTER (WHERE g = 2) FROM t"
            )
            .unwrap(),
            text("-4.0000000000")
        );
        assert_eq!(
            one(
                &conn,
                "SELECT yara_decimal_avg(d) FILTER (WHERE g = 2) FROM t"
            )
            .unwrap(),
            Value::Real(-4.0 / 3.0)
        );
        for f in ["min", "max", "sum", "avg"] {
            let sql = format!("SELECT yara_decimal_{f}(d) FROM t WHERE g = 3");
            assert_eq!(one(&conn, &sql).unwrap(), Value::Null, "{f} over no rows");
            let sql = format!("SELECT yara_decimal_{f}(d) FROM t WHERE d IS NULL");
            assert_eq!(one(&conn, &sql).unwrap(), Value::Null, "{f} over NULLs");
        }
        // An integer is a decimal; other values fail the statement, naming the aggregate.
        assert_eq!(
            one(
                &conn,
                "SELECT yara_decimal_sum(x) FROM (SELECT 7 AS x UNION ALL SELECT '0.5')"
            )
            .unwrap(),
            text("7.5")
        );
        for (value, storage) in [
            ("1.5e3", "TEXT"),
            ("CAST(1.5 AS REAL)", "REAL"),
            ("x'31'", "BLOB"),
        ] {
            let value = if storage == "TEXT" {
                format!("'{value}'")
            } else {
                value.to_owned()
            };
            let err = one(&conn, &format!("SELECT yara_decimal_max({value})")).unwrap_err();
            assert!(
                err.to_string().contains(&format!(
                    "yara_decimal_max(): a {storage} value is not a decimal"
                )),
                "{err}"
            );
        }
    }
}
