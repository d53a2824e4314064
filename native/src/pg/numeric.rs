//! NUMERIC's binary format → the exact decimal text Postgres itself prints (`numeric_out`):
//! base-10000 digit groups, a weight (the power of 10000 of the first group), a sign word and
//! the display scale. "NaN", "Infinity" and "-Infinity" come out as Postgres writes them.

use std::fmt::Write;

const NEGATIVE: u16 = 0x4000;
const NAN: u16 = 0xC000;
const POSITIVE_INFINITY: u16 = 0xD000;
const NEGATIVE_INFINITY: u16 = 0xF000;

/// Appends the text of one NUMERIC cell to `out`; `None` when the bytes are not a NUMERIC.
pub fn write_numeric(raw: &[u8], out: &mut String) -> Option<()> {
    let word = |i: usize| -> Option<u16> {
        raw.get(i * 2..i * 2 + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let ndigits = word(0)? as usize;
    let weight = word(1)? as i16 as i32;
    let sign = word(2)?;
    let dscale = word(3)? as i32;
    if raw.len() != 8 + ndigits * 2 {
        return None;
    }
    match sign {
        NAN => {
            out.push_str("NaN");
            return Some(());
        }
        POSITIVE_INFINITY => {
            out.push_str("Infinity");
            return Some(());
        }
        NEGATIVE_INFINITY => {
            out.push_str("-Infinity");
            return Some(());
        }
        0 | NEGATIVE => {}
        _ => return None,
    }
    let digit = |i: i32| -> u16 {
        if i >= 0 && (i as usize) < ndigits {
            word(4 + i as usize).unwrap_or(0)
        } else {
            0
        }
    };
    if sign == NEGATIVE {
        out.push('-');
    }
    // Integer part: groups 0..=weight.
    if weight < 0 {
        out.push('0');
    } else {
        let _ = write!(out, "{}", digit(0));
        for i in 1..=weight {
            let _ = write!(out, "{:04}", digit(i));
        }
    }
    // Fraction: `dscale` digits from the groups after the weight.
    if dscale > 0 {
        out.push('.');
        let mut written = 0;
        let mut group = weight + 1;
        while written < dscale {
            let g = digit(group);
            for divisor in [1000, 100, 10, 1] {
                if written == dscale {
                    break;
                }
                out.push((b'0' + (g / divisor % 10) as u8) as char);
                written += 1;
            }
            group += 1;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(ndigits: &[u16], weight: i16, sign: u16, dscale: u16) -> String {
        let mut raw = Vec::new();
        for w in [ndigits.len() as u16, weight as u16, sign, dscale] {
            raw.extend_from_slice(&w.to_be_bytes());
        }
        for d in ndigits {
            raw.extend_from_slice(&d.to_be_bytes());
        }
        let mut out = String::new();
        write_numeric(&raw, &mut out).expect("valid numeric");
        out
    }

    #[test]
    fn integers_and_fractions() {
        assert_eq!(numeric(&[12, 5000], 0, 0, 2), "12.50");
        assert_eq!(numeric(&[1, 0, 0], 2, 0, 0), "100000000");
        assert_eq!(numeric(&[1], 2, 0, 0), "100000000");
        assert_eq!(numeric(&[], 0, 0, 3), "0.000");
        assert_eq!(numeric(&[5], -1, NEGATIVE, 4), "-0.0005");
        assert_eq!(numeric(&[5], -2, 0, 8), "0.00000005");
        assert_eq!(numeric(&[1234, 5678, 9], 1, 0, 6), "12345678.000900");
    }

    #[test]
    fn special_values() {
        assert_eq!(numeric(&[], 0, NAN, 0), "NaN");
        assert_eq!(numeric(&[], 0, POSITIVE_INFINITY, 0), "Infinity");
        assert_eq!(numeric(&[], 0, NEGATIVE_INFINITY, 0), "-Infinity");
    }

    #[test]
    fn rejects_truncated_input() {
        let mut out = String::new();
        assert!(write_numeric(&[0, 2, 0, 0, 0, 0, 0, 0, 0, 1], &mut out).is_none());
    }
}
