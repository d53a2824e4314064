//! Many rows inserted with `COPY … FROM STDIN (FORMAT binary)` instead of a multi-row INSERT,
//! still answering with the rows as `INSERT … RETURNING` would:
//!
//! 1. the table's columns (type and modifier) and its key's sequence, looked up on every call (a
//!    migration or a new trigger is seen at once; the call writes thousands of rows);
//! 2. every value encoded for its column (`copy_encode`); a value COPY would not store exactly
//!    makes the whole call `Fallback` before any row is sent, and the caller runs its INSERT;
//! 3. the keys taken from the sequence (`nextval` over `generate_series`) and the COPY started
//!    in one round trip (the two requests are pipelined), then the rows sent with their keys
//!    and the COPY finished in a second;
//! 4. the result built from the bytes that were sent, read by the same decoders as a query's
//!    cells (jsonb re-ordered as the server keeps it, `jsonb_order`).
//!
//! COPY is one statement: a failing row (unique or foreign-key violation, NOT NULL) fails it
//! whole and nothing is written; the error is the server's, mapped as for any statement.

use std::collections::HashMap;

use bytes::Bytes;
use futures_util::{pin_mut, SinkExt};
use tokio_postgres::types::Type;

use super::connection::PgConnection;
use super::copy_encode::{encode_cell, oid, ColumnType, NotExact, HEADER, TRAILER};
use super::decode::ColumnDecoder;
use super::error::decode_error;
use super::jsonb_order::jsonb_order;
use crate::columnar::{Encoded, ResultBuilder};
use crate::error::DbResult;
use crate::value::Value;

/// One bulk insert: `values` holds the rows one after another, `columns.len()` values each.
#[derive(Debug, Clone)]
pub struct CopyInsert {
    /// The table's name (unquoted; found through the connection's search_path).
    pub table: String,
    /// The key column (unquoted), filled from its sequence.
    pub key: String,
    /// The columns written (unquoted), in the order of each row's values.
    pub columns: Vec<String>,
    /// The result's columns: the key or columns written.
    pub returning: Vec<String>,
    pub values: Vec<Value>,
    /// int8 cells as BIGINT however small (`QueryOptions.bigints`).
    pub bigints: bool,
}

#[derive(Debug)]
pub enum CopyOutcome {
    /// The rows written, as `INSERT … RETURNING <returning>` returns them.
    Rows(Encoded),
    /// COPY cannot serve this call (nothing was sent): run the INSERT instead.
    Fallback(String),
}

/// A table's columns and its key sequence, as the catalog described them.
#[derive(Debug)]
pub struct CopyTarget {
    columns: HashMap<String, ColumnType>,
    /// The oid of the sequence `pg_get_serial_sequence` names for the key column.
    sequence: Option<u32>,
    /// COPY writes exactly what INSERT would (see `CATALOG_SQL`).
    plain: bool,
}

/// The columns, the key's sequence, and whether COPY stores what INSERT would: a plain or
/// partitioned table without rules (COPY ignores them), row-level security (COPY refuses it) or
/// BEFORE INSERT row triggers (they may change a row, and the answer is built from what was sent).
const CATALOG_SQL: &str = "SELECT a.attname::text, a.atttypid::int8, a.atttypmod, \
     pg_get_serial_sequence($1, $2)::regclass::oid::int8, \
     c.relkind IN ('r', 'p') AND NOT c.relhasrules AND NOT c.relrowsecurity AND NOT EXISTS ( \
       SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal \
       AND (t.tgtype::int & 7) = 7) \
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped";

fn keys_sql(key: ColumnType) -> Option<&'static str> {
    Some(match key.oid {
        oid::INT2 => "SELECT nextval($1::oid)::int2 FROM generate_series(1, $2::int4)",
        oid::INT4 => "SELECT nextval($1::oid)::int4 FROM generate_series(1, $2::int4)",
        oid::INT8 => "SELECT nextval($1::oid) FROM generate_series(1, $2::int4)",
        _ => return None,
    })
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl CopyTarget {
    async fn lookup(conn: &PgConnection, table: &str, key: &str) -> DbResult<CopyTarget> {
        let statement = conn.statement(CATALOG_SQL).await?;
        let rows = conn
            .client()
            .query(&statement, &[&table, &key])
            .await
            .map_err(|e| conn.fail(&e))?;
        let mut columns = HashMap::new();
        let mut sequence = None;
        let mut plain = false;
        for row in rows {
            let name: String = row.get(0);
            let type_oid: i64 = row.get(1);
            let typmod: i32 = row.get(2);
            let seq: Option<i64> = row.get(3);
            sequence = seq.map(|s| s as u32);
            plain = row.get(4);
            columns.insert(
                name,
                ColumnType {
                    oid: type_oid as u32,
                    typmod,
                },
            );
        }
        Ok(CopyTarget {
            columns,
            sequence,
            plain,
        })
    }
}

/// Where each result column comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Key,
    Column(usize),
}

/// The rows' cells encoded for COPY, and what the result reads back from them.
struct Encoding {
    /// Every row's cells, one after another (length word and bytes each).
    cells: Vec<u8>,
    /// Where each cell starts in `cells`, row-major.
    starts: Vec<usize>,
    /// jsonb cells as the server will print them, by cell index.
    jsonb: HashMap<usize, String>,
}

fn encode_rows(values: &[Value], types: &[ColumnType]) -> Result<Encoding, NotExact> {
    let mut out = Encoding {
        cells: Vec::with_capacity(values.len() * 12),
        starts: Vec::with_capacity(values.len() + 1),
        jsonb: HashMap::new(),
    };
    for (i, value) in values.iter().enumerate() {
        let column = types[i % types.len()];
        out.starts.push(out.cells.len());
        encode_cell(value, column, &mut out.cells)?;
        if let (oid::JSONB, Value::Text(text)) = (column.oid, value) {
            let ordered =
                jsonb_order(text).ok_or(NotExact("JSON whose key order cannot be read"))?;
            out.jsonb.insert(i, ordered);
        }
    }
    out.starts.push(out.cells.len());
    Ok(out)
}

impl Encoding {
    fn cell(&self, index: usize) -> Option<&[u8]> {
        let start = self.starts[index];
        let len = i32::from_be_bytes(self.cells[start..start + 4].try_into().unwrap_or_default());
        (len >= 0).then(|| &self.cells[start + 4..start + 4 + len as usize])
    }

    fn row(&self, row: usize, width: usize) -> &[u8] {
        &self.cells[self.starts[row * width]..self.starts[(row + 1) * width]]
    }
}

fn decoder(column: ColumnType) -> ColumnDecoder {
    match Type::from_oid(column.oid) {
        Some(ty) => ColumnDecoder::for_type(&ty),
        None => ColumnDecoder::Unsupported(format!("type {}", column.oid)),
    }
}

/// Runs `request` on `conn` (which the caller holds alone).
pub(super) async fn copy_insert(
    conn: &PgConnection,
    request: &CopyInsert,
) -> DbResult<CopyOutcome> {
    let fallback = |why: &str| Ok(CopyOutcome::Fallback(why.to_string()));
    let width = request.columns.len();
    if width == 0 || !request.values.len().is_multiple_of(width) {
        return fallback("no columns, or values that are not whole rows");
    }
    let rows = request.values.len() / width;
    if rows == 0 || rows > i32::MAX as usize {
        return fallback("no rows");
    }
    let table = quote(&request.table);
    let target = CopyTarget::lookup(conn, &table, &request.key).await?;
    if !target.plain {
        return fallback("rules, row-level security or BEFORE INSERT triggers on the table");
    }
    let (Some(sequence), Some(&key_type)) = (target.sequence, target.columns.get(&request.key))
    else {
        return fallback("the key column has no sequence");
    };
    let Some(keys_sql) = keys_sql(key_type) else {
        return fallback("the key column is not an integer");
    };
    let mut types = Vec::with_capacity(width);
    for name in &request.columns {
        match target.columns.get(name) {
            Some(t) => types.push(*t),
            None => return fallback("a column the catalog does not list"),
        }
    }
    let mut sources = Vec::with_capacity(request.returning.len());
    for name in &request.returning {
        if *name == request.key {
            sources.push(Source::Key);
        } else if let Some(i) = request.columns.iter().position(|c| c == name) {
            sources.push(Source::Column(i));
        } else {
            return fallback("a returned column that is not written");
        }
    }
    let encoding = match encode_rows(&request.values, &types) {
        Ok(encoding) => encoding,
        Err(NotExact(why)) => return fallback(why),
    };

    let copy_sql = format!(
        "COPY {} ({}) FROM STDIN (FORMAT binary)",
        table,
        std::iter::once(&request.key)
            .chain(&request.columns)
            .map(|c| quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let keys_statement = conn.statement(keys_sql).await?;
    let copy_statement = conn.statement(&copy_sql).await?;
    let client = conn.client();
    // Pipelined: the keys' request is queued first, so the server answers it before it enters
    // COPY mode; the rows follow once the keys are known.
    let count = rows as i32;
    let keys_params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&sequence, &count];
    let (keys, sink) = futures_util::join!(
        client.query(&keys_statement, &keys_params),
        client.copy_in::<_, Bytes>(&copy_statement)
    );
    // On an error the sink (if any) is dropped, which fails the COPY: nothing is written.
    let keys = keys.map_err(|e| conn.fail(&e))?;
    let sink = sink.map_err(|e| conn.fail(&e))?;
    let keys: Vec<i64> = keys
        .iter()
        .map(|row| match key_type.oid {
            oid::INT2 => row.get::<_, i16>(0) as i64,
            oid::INT4 => row.get::<_, i32>(0) as i64,
            _ => row.get::<_, i64>(0),
        })
        .collect();

    let mut data = Vec::with_capacity(HEADER.len() + encoding.cells.len() + rows * 14 + 2);
    data.extend_from_slice(HEADER);
    let key_cells: Vec<Vec<u8>> = keys
        .iter()
        .map(|k| {
            let mut cell = Vec::with_capacity(12);
            // The keys query cast them to the column's type: they fit.
            let _ = encode_cell(&Value::BigInt(*k), key_type, &mut cell);
            cell
        })
        .collect();
    for (row, key) in key_cells.iter().enumerate() {
        data.extend_from_slice(&((width + 1) as i16).to_be_bytes());
        data.extend_from_slice(key);
        data.extend_from_slice(encoding.row(row, width));
    }
    data.extend_from_slice(TRAILER);
    pin_mut!(sink);
    sink.send(Bytes::from(data))
        .await
        .map_err(|e| conn.fail(&e))?;
    sink.as_mut().finish().await.map_err(|e| conn.fail(&e))?;
    conn.succeeded();

    let key_decoder = decoder(key_type);
    let decoders: Vec<ColumnDecoder> = types.iter().map(|t| decoder(*t)).collect();
    let jsonb = ColumnDecoder::Jsonb;
    let mut out = ResultBuilder::with_capacity(request.returning.clone(), rows);
    let mut jsonb_cell = Vec::new();
    for (row, key) in key_cells.iter().enumerate() {
        for (c, source) in sources.iter().enumerate() {
            let pushed = match *source {
                Source::Key => key_decoder.push(Some(&key[4..]), &mut out, request.bigints),
                Source::Column(i) => {
                    let index = row * width + i;
                    match encoding.jsonb.get(&index) {
                        Some(ordered) => {
                            jsonb_cell.clear();
                            jsonb_cell.push(1);
                            jsonb_cell.extend_from_slice(ordered.as_bytes());
                            jsonb.push(Some(&jsonb_cell), &mut out, request.bigints)
                        }
                        None => decoders[i].push(encoding.cell(index), &mut out, request.bigints),
                    }
                }
            };
            pushed.map_err(|why| decode_error(&request.returning[c], &why))?;
        }
    }
    Ok(CopyOutcome::Rows(out.finish()))
}
