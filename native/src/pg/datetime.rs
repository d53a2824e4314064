//! Postgres' binary date and time formats → what the runtime reads: instants as milliseconds
//! since the Unix epoch, DATE and TIME as the text Postgres prints with `DateStyle=ISO` (so the
//! native driver returns exactly what the JavaScript driver reads from the text protocol).
//! Timestamps count microseconds and dates days from 2000-01-01; `infinity` is the extreme
//! integer.

use std::fmt::Write;

const POSTGRES_EPOCH_UNIX_MS: i64 = 946_684_800_000;
const POSTGRES_EPOCH_JDAYS: i64 = 2_451_545;
/// Microseconds from 0001-01-01 00:00 to 2000-01-01 00:00: earlier instants are BC dates.
const FIRST_AD_MICROS: i64 = -63_082_281_600_000_000;

/// A TIMESTAMP / TIMESTAMPTZ as Unix milliseconds, truncated towards the earlier millisecond
/// (as the JavaScript driver drops digits past the millisecond). Infinities and BC instants
/// have no JavaScript Date: the error names them as the JavaScript driver does.
pub fn timestamp_ms(micros: i64) -> Result<f64, String> {
    let special = match micros {
        i64::MAX => Some("\"infinity\""),
        i64::MIN => Some("\"-infinity\""),
        m if m < FIRST_AD_MICROS => Some("a BC date"),
        _ => None,
    };
    if let Some(special) = special {
        return Err(format!(
            "Postgres returned the timestamp {special}, which a JavaScript Date cannot hold; \
             keep such values out of datetime columns or convert them in SQL"
        ));
    }
    Ok((micros.div_euclid(1000) + POSTGRES_EPOCH_UNIX_MS) as f64)
}

/// Days since the Postgres epoch → (year, month, day) of the proleptic Gregorian calendar,
/// astronomical years (0 = 1 BC), as Postgres' `j2date`.
fn civil(days: i64) -> (i64, u32, u32) {
    let mut julian = days + POSTGRES_EPOCH_JDAYS + 32044;
    let mut quad = julian.div_euclid(146097);
    let extra = (julian - quad * 146097) * 4 + 3;
    julian += 60 + quad * 3 + extra.div_euclid(146097);
    quad = julian.div_euclid(1461);
    julian -= quad * 1461;
    let y = julian * 4 / 1461;
    julian = if y != 0 {
        (julian + 305) % 365
    } else {
        (julian + 306) % 366
    } + 123;
    let year = y + quad * 4 - 4800;
    let quad = julian * 2141 / 65536;
    let day = julian - 7834 * quad / 256;
    let month = (quad + 10) % 12 + 1;
    (year, month as u32, day as u32)
}

/// A DATE as Postgres prints it: "YYYY-MM-DD", "YYYY-MM-DD BC", "infinity", "-infinity".
pub fn write_date(days: i32, out: &mut String) {
    match days {
        i32::MAX => out.push_str("infinity"),
        i32::MIN => out.push_str("-infinity"),
        _ => {
            let (year, month, day) = civil(days as i64);
            if year > 0 {
                let _ = write!(out, "{year:04}-{month:02}-{day:02}");
            } else {
                let _ = write!(out, "{:04}-{month:02}-{day:02} BC", 1 - year);
            }
        }
    }
}

/// A TIME as Postgres prints it: "HH:MM:SS" and the fraction without trailing zeros.
pub fn write_time(micros: i64, out: &mut String) {
    let seconds = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    if fraction != 0 {
        let digits = format!("{fraction:06}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
}

/// A TIMETZ: the time, then the UTC offset (`zone` counts seconds west of UTC) as "+HH[:MM[:SS]]".
pub fn write_timetz(micros: i64, zone: i32, out: &mut String) {
    write_time(micros, out);
    write_offset(-zone, out);
}

fn write_offset(east_seconds: i32, out: &mut String) {
    let sign = if east_seconds < 0 { '-' } else { '+' };
    let s = east_seconds.unsigned_abs();
    let (hours, minutes, seconds) = (s / 3600, s / 60 % 60, s % 60);
    let _ = write!(out, "{sign}{hours:02}");
    if minutes > 0 || seconds > 0 {
        let _ = write!(out, ":{minutes:02}");
        if seconds > 0 {
            let _ = write!(out, ":{seconds:02}");
        }
    }
}

/// A TIMESTAMPTZ as Postgres prints it at `TimeZone=UTC` (inside arrays, where it stays text).
pub fn write_timestamp_text(micros: i64, with_zone: bool, out: &mut String) {
    match micros {
        i64::MAX => return out.push_str("infinity"),
        i64::MIN => return out.push_str("-infinity"),
        _ => {}
    }
    let days = micros.div_euclid(86_400_000_000);
    let (year, month, day) = civil(days);
    let shown_year = if year > 0 { year } else { 1 - year };
    let _ = write!(out, "{shown_year:04}-{month:02}-{day:02} ");
    write_time(micros.rem_euclid(86_400_000_000), out);
    if with_zone {
        out.push_str("+00");
    }
    if year <= 0 {
        out.push_str(" BC");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(days: i32) -> String {
        let mut s = String::new();
        write_date(days, &mut s);
        s
    }

    fn time(micros: i64) -> String {
        let mut s = String::new();
        write_time(micros, &mut s);
        s
    }

    #[test]
    fn dates() {
        assert_eq!(date(0), "2000-01-01");
        assert_eq!(date(-1), "1999-12-31");
        assert_eq!(date(59), "2000-02-29");
        assert_eq!(date(-730119), "0001-01-01");
        assert_eq!(date(-730120), "0001-12-31 BC");
        assert_eq!(date(2_921_940), "10000-01-01");
        assert_eq!(date(i32::MAX), "infinity");
        assert_eq!(date(i32::MIN), "-infinity");
    }

    #[test]
    fn times() {
        assert_eq!(time(0), "00:00:00");
        assert_eq!(time(45_296_500_000), "12:34:56.5");
        assert_eq!(time(1_000_001), "00:00:01.000001");
        assert_eq!(time(86_400_000_000), "24:00:00");
        let mut s = String::new();
        write_timetz(3_600_000_000, -19800, &mut s);
        assert_eq!(s, "01:00:00+05:30");
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp_ms(0).unwrap(), 946_684_800_000.0);
        assert_eq!(timestamp_ms(1_999).unwrap(), 946_684_800_001.0);
        // Before 1970 the millisecond still truncates towards the earlier instant.
        assert_eq!(timestamp_ms(-946_684_800_000_500).unwrap(), -1.0);
        assert!(timestamp_ms(i64::MAX).unwrap_err().contains("\"infinity\""));
        assert!(timestamp_ms(FIRST_AD_MICROS - 1)
            .unwrap_err()
            .contains("a BC date"));
        let mut s = String::new();
        write_timestamp_text(1_500_000, true, &mut s);
        assert_eq!(s, "2000-01-01 00:00:01.5+00");
    }
}
