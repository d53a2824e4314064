//! The result encoding: one byte buffer plus one string per result set, so crossing into
//! JavaScript costs a fixed number of Node-API calls however many cells there are.
//!
//! Layout (little-endian), for `rows` rows and `cols` columns:
//!
//! ```text
//! stride = pad8(rows) + 8 * rows
//! column c, at byte c * stride:
//!   tags   rows bytes, zero-padded to a multiple of 8   one `tag` per cell
//!   slots  rows × 8 bytes                               the cell's value, read by its tag
//! blobs  at byte cols * stride: the bytes of every BLOB cell, back to back
//! ```
//!
//! A slot holds an f64 (NUMBER, BOOL as 0/1, TIMESTAMP as ms since the Unix epoch), an i64
//! (BIGINT) or two u32 (`start`, `len`): UTF-16 code units into the text string for TEXT and
//! JSON, bytes into the blob region for BLOB. The JavaScript reader
//! (runtime/driver/native/reader.ts) keeps Float64Array / BigInt64Array / Uint32Array / Uint8Array
//! views on the buffer and `str.slice`s the text, so a generated decoder's `r.int(c, i)` is one
//! typed-array read.

/// The cell tags. Integers that fit in ±(2^53 − 1) are NUMBER whatever their SQL type, so the
/// reader's `int` is always one f64 read; wider ones are BIGINT.
pub mod tag {
    pub const NULL: u8 = 0;
    pub const NUMBER: u8 = 1;
    pub const BIGINT: u8 = 2;
    pub const BOOL: u8 = 3;
    pub const TEXT: u8 = 4;
    pub const BLOB: u8 = 5;
    pub const TIMESTAMP: u8 = 6;
    pub const JSON: u8 = 7;
}

const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// An encoded result set, ready to hand to JavaScript.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    pub columns: Vec<String>,
    pub rows: usize,
    pub buffer: Vec<u8>,
    pub text: String,
    /// Every byte of `text` is ASCII: the napi layer may create it as a one-byte (latin1) string.
    pub text_is_ascii: bool,
}

impl Encoded {
    pub fn stride(rows: usize) -> usize {
        pad8(rows) + 8 * rows
    }
}

/// Builds an `Encoded` from cells pushed in row-major order: for each row, exactly one `push_*`
/// per column, left to right. Cells are kept row-major (two vectors, whatever the number of
/// columns) and laid out by column in `finish` / `write_into`. A builder can be `reset` and
/// reused, keeping its capacity, so a connection encodes result after result without allocating.
pub struct ResultBuilder {
    columns: Vec<String>,
    width: usize,
    /// Row-major: cell (r, c) at `r * width + c`.
    tags: Vec<u8>,
    slots: Vec<u64>,
    text: String,
    text_units: usize,
    text_is_ascii: bool,
    blobs: Vec<u8>,
    col: usize,
    rows: usize,
}

impl ResultBuilder {
    pub fn new(columns: Vec<String>) -> Self {
        Self::with_capacity(columns, 0)
    }

    pub fn with_capacity(columns: Vec<String>, rows: usize) -> Self {
        let width = columns.len();
        ResultBuilder {
            columns,
            width,
            tags: Vec::with_capacity(rows * width),
            slots: Vec::with_capacity(rows * width),
            text: String::new(),
            text_units: 0,
            text_is_ascii: true,
            blobs: Vec::new(),
            col: 0,
            rows: 0,
        }
    }

    /// Empties the builder for a result of `width` unnamed columns, keeping its capacity.
    pub fn reset(&mut self, width: usize) {
        self.columns.clear();
        self.width = width;
        self.tags.clear();
        self.slots.clear();
        self.text.clear();
        self.text_units = 0;
        self.text_is_ascii = true;
        self.blobs.clear();
        self.col = 0;
        self.rows = 0;
    }

    pub fn column_count(&self) -> usize {
        self.width
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The text of every TEXT/JSON cell so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn text_is_ascii(&self) -> bool {
        self.text_is_ascii
    }

    /// Size of the encoded buffer (`finish`'s `buffer.len()`).
    pub fn byte_len(&self) -> usize {
        self.width * Encoded::stride(self.rows) + self.blobs.len()
    }

    /// Writes the encoded buffer into `out` (exactly `byte_len()` bytes, zeroed or not).
    pub fn write_into(&self, out: &mut [u8]) {
        debug_assert_eq!(self.col, 0, "a row was left incomplete");
        assert_eq!(
            out.len(),
            self.byte_len(),
            "write_into needs exactly byte_len() bytes"
        );
        let (rows, cols) = (self.rows, self.width);
        let tag_bytes = pad8(rows);
        let stride = tag_bytes + 8 * rows;
        for c in 0..cols {
            let base = c * stride;
            let (tags, slots) = out[base..base + stride].split_at_mut(tag_bytes);
            for (r, tag) in tags[..rows].iter_mut().enumerate() {
                *tag = self.tags[r * cols + c];
            }
            tags[rows..].fill(0);
            for (r, chunk) in slots.chunks_exact_mut(8).enumerate() {
                chunk.copy_from_slice(&self.slots[r * cols + c].to_le_bytes());
            }
        }
        out[cols * stride..].copy_from_slice(&self.blobs);
    }

    #[inline]
    fn push(&mut self, tag: u8, slot: u64) {
        debug_assert!(self.col < self.width, "more cells pushed than columns");
        self.tags.push(tag);
        self.slots.push(slot);
        self.col += 1;
        if self.col == self.width {
            self.col = 0;
            self.rows += 1;
        }
    }

    pub fn push_null(&mut self) {
        self.push(tag::NULL, 0);
    }

    pub fn push_f64(&mut self, v: f64) {
        self.push(tag::NUMBER, v.to_bits());
    }

    /// An integer of any SQL width: NUMBER when exact as an f64, BIGINT otherwise.
    pub fn push_i64(&mut self, v: i64) {
        if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&v) {
            self.push(tag::NUMBER, (v as f64).to_bits());
        } else {
            self.push(tag::BIGINT, v as u64);
        }
    }

    /// A 64-bit integer tagged BIGINT however small (Postgres int8 when the caller asked for
    /// bigints: the reader's `value()` then returns a bigint, as the `pg` driver does).
    pub fn push_bigint(&mut self, v: i64) {
        self.push(tag::BIGINT, v as u64);
    }

    pub fn push_bool(&mut self, v: bool) {
        self.push(tag::BOOL, (if v { 1.0f64 } else { 0.0 }).to_bits());
    }

    /// An instant, as milliseconds since the Unix epoch (UTC).
    pub fn push_timestamp_ms(&mut self, ms: f64) {
        self.push(tag::TIMESTAMP, ms.to_bits());
    }

    pub fn push_text(&mut self, s: &str) {
        let slot = self.append_text(s);
        self.push(tag::TEXT, slot);
    }

    /// JSON document text; the reader parses it.
    pub fn push_json(&mut self, s: &str) {
        let slot = self.append_text(s);
        self.push(tag::JSON, slot);
    }

    pub fn push_bytes(&mut self, b: &[u8]) {
        let start = self.blobs.len();
        self.blobs.extend_from_slice(b);
        self.push(tag::BLOB, pack(start, b.len()));
    }

    /// Text written piecewise (e.g. a NUMERIC rendered digit group by digit group): call
    /// `text_writer`, write into the returned String, then `finish_text` with the tag.
    pub fn text_writer(&mut self) -> (&mut String, usize) {
        let start = self.text.len();
        (&mut self.text, start)
    }

    /// Ends a cell begun with `text_writer`; `byte_start` is the second value it returned.
    pub fn finish_text(&mut self, byte_start: usize, cell_tag: u8) {
        let piece = &self.text[byte_start..];
        let units = utf16_len(piece);
        if !piece.is_ascii() {
            self.text_is_ascii = false;
        }
        let start = self.text_units;
        self.text_units += units;
        self.push(cell_tag, pack(start, units));
    }

    fn append_text(&mut self, s: &str) -> u64 {
        let units = if s.is_ascii() {
            s.len()
        } else {
            self.text_is_ascii = false;
            s.encode_utf16().count()
        };
        let start = self.text_units;
        self.text.push_str(s);
        self.text_units += units;
        pack(start, units)
    }

    /// An `Encoded` copy of the cells so far (the builder stays as it is, for reuse).
    pub fn encode(&self) -> Encoded {
        let mut buffer = vec![0u8; self.byte_len()];
        self.write_into(&mut buffer);
        Encoded {
            columns: self.columns.clone(),
            rows: self.rows,
            buffer,
            text: self.text.clone(),
            text_is_ascii: self.text_is_ascii,
        }
    }

    pub fn finish(self) -> Encoded {
        let mut buffer = vec![0u8; self.byte_len()];
        self.write_into(&mut buffer);
        Encoded {
            columns: self.columns,
            rows: self.rows,
            buffer,
            text: self.text,
            text_is_ascii: self.text_is_ascii,
        }
    }
}

#[inline]
fn pad8(n: usize) -> usize {
    (n + 7) & !7
}

#[inline]
fn pack(start: usize, len: usize) -> u64 {
    (start as u32 as u64) | ((len as u32 as u64) << 32)
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// -0 read as 0 (float cells of both engines), as yara writes it: `Object.is` and
/// `1 / x` would otherwise tell rows apart that compare equal in SQL.
pub fn unsigned_zero(v: f64) -> f64 {
    if v == 0.0 {
        0.0
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag_at(e: &Encoded, c: usize, r: usize) -> u8 {
        e.buffer[c * Encoded::stride(e.rows) + r]
    }

    fn slot_at(e: &Encoded, c: usize, r: usize) -> u64 {
        let at = c * Encoded::stride(e.rows) + pad8(e.rows) + r * 8;
        u64::from_le_bytes(e.buffer[at..at + 8].try_into().unwrap())
    }

    #[test]
    fn lays_out_columns_by_stride() {
        let mut b = ResultBuilder::new(vec!["id".into(), "name".into()]);
        b.push_i64(1);
        b.push_text("Ada");
        b.push_i64(2);
        b.push_null();
        let e = b.finish();
        assert_eq!(e.rows, 2);
        assert_eq!(e.buffer.len(), 2 * (8 + 16));
        assert_eq!(tag_at(&e, 0, 1), tag::NUMBER);
        assert_eq!(f64::from_bits(slot_at(&e, 0, 1)), 2.0);
        assert_eq!(tag_at(&e, 1, 0), tag::TEXT);
        assert_eq!(slot_at(&e, 1, 0), 3u64 << 32);
        assert_eq!(tag_at(&e, 1, 1), tag::NULL);
        assert_eq!(e.text, "Ada");
        assert!(e.text_is_ascii);
    }

    #[test]
    fn integers_past_2_pow_53_are_bigint() {
        let mut b = ResultBuilder::new(vec!["n".into()]);
        b.push_i64(MAX_SAFE_INTEGER);
        b.push_i64(MAX_SAFE_INTEGER + 1);
        b.push_i64(i64::MIN);
        let e = b.finish();
        assert_eq!(tag_at(&e, 0, 0), tag::NUMBER);
        assert_eq!(tag_at(&e, 0, 1), tag::BIGINT);
        assert_eq!(slot_at(&e, 0, 1) as i64, MAX_SAFE_INTEGER + 1);
        assert_eq!(slot_at(&e, 0, 2) as i64, i64::MIN);
    }

    #[test]
    fn push_bigint_always_tags_bigint() {
        let mut b = ResultBuilder::new(vec!["n".into()]);
        b.push_bigint(7);
        let e = b.finish();
        assert_eq!(tag_at(&e, 0, 0), tag::BIGINT);
        assert_eq!(slot_at(&e, 0, 0) as i64, 7);
    }

    #[test]
    fn text_offsets_count_utf16_units() {
        let mut b = ResultBuilder::new(vec!["t".into()]);
        b.push_text("é😀");
        b.push_text("x");
        let e = b.finish();
        assert!(!e.text_is_ascii);
        assert_eq!(slot_at(&e, 0, 0), 3u64 << 32); // é = 1 unit, 😀 = 2
        assert_eq!(slot_at(&e, 0, 1), 3 | (1u64 << 32));
    }

    #[test]
    fn piecewise_text_matches_push_text() {
        let mut b = ResultBuilder::new(vec!["d".into()]);
        let (s, start) = b.text_writer();
        s.push_str("12");
        s.push_str(".50");
        b.finish_text(start, tag::TEXT);
        let e = b.finish();
        assert_eq!(e.text, "12.50");
        assert_eq!(slot_at(&e, 0, 0), 5u64 << 32);
    }

    #[test]
    fn blobs_follow_the_columns() {
        let mut b = ResultBuilder::new(vec!["b".into()]);
        b.push_bytes(&[1, 2, 3]);
        b.push_bytes(&[]);
        b.push_bytes(&[9]);
        let e = b.finish();
        let blobs = Encoded::stride(3);
        assert_eq!(&e.buffer[blobs..], &[1, 2, 3, 9]);
        assert_eq!(slot_at(&e, 0, 2), 3 | (1u64 << 32));
    }

    #[test]
    fn a_reset_builder_encodes_like_a_new_one() {
        let mut b = ResultBuilder::new(vec!["x".into(), "y".into()]);
        b.push_text("stale");
        b.push_bytes(&[1]);
        b.reset(1);
        b.push_i64(3);
        b.push_i64(4);
        let mut out = vec![0xffu8; b.byte_len()];
        b.write_into(&mut out);
        assert_eq!(b.text(), "");
        let mut fresh = ResultBuilder::new(vec!["n".into()]);
        fresh.push_i64(3);
        fresh.push_i64(4);
        assert_eq!(out, fresh.finish().buffer);
    }

    #[test]
    fn empty_result_is_empty_buffer() {
        let e = ResultBuilder::new(vec!["a".into(), "b".into()]).finish();
        assert_eq!(e.rows, 0);
        assert!(e.buffer.is_empty());
        assert_eq!(e.columns.len(), 2);
    }
}
