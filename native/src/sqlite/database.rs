//! One SQLite connection and its prepared statements, addressed by id.
//!
//! JavaScript keeps the statement cache (SQL text → id, runtime/driver/native/sqlite.ts) so a
//! call passes a small integer instead of the SQL text; this side keeps the statements alive
//! until `finalize` or `close`. Semantics follow better-sqlite3, which the JavaScript SQLite
//! driver uses: one statement per prepare (trailing whitespace and comments allowed), numbers
//! bound as REAL and bigints as INTEGER, `run` steps once and counts changes only when the
//! statement made some.

use std::time::Duration;

use rusqlite::ffi;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, Statement};

use super::checkpoint::Checkpointer;
use super::errors::{from_code, map_error};
use super::functions;
use crate::columnar::{unsigned_zero, ResultBuilder};
use crate::error::{DbError, DbResult, ErrorKind};
use crate::value::Value;

/// What `query` returns: `Rows` for a statement that has columns (read them from
/// `Database::result` before the next statement), the number of changed rows for one that has
/// none.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Rows,
    Changes(u64),
}

/// A parameter as SQLite binds it (borrowed, so the Node-API layer can bind straight from
/// JavaScript values without building a `Value`).
#[derive(Debug, Clone, Copy)]
pub enum Bind<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

struct Prepared {
    /// Borrows `Database::conn`, which is boxed and outlives it (see `Database`).
    stmt: Statement<'static>,
    columns: Vec<String>,
    /// What each parameter is bound to, when it is a number or NULL (see `Binder::bind`).
    bound: Vec<Option<Scalar>>,
}

/// A number or NULL as bound, compared by bits (so 0.0 and -0.0 differ, as their bindings do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    Null,
    Integer(i64),
    Real(u64),
}

pub struct Database {
    // Field order is drop order: every statement is finalized before the connection closes.
    statements: Vec<Option<Prepared>>,
    free: Vec<u32>,
    /// The last result's rows, encoded; reused from query to query (no allocation per query).
    result: ResultBuilder,
    /// File databases: WAL checkpoints on a thread of their own (checkpoint.rs). Dropped
    /// before `conn`, whose WAL hook points into it.
    checkpointer: Option<Checkpointer>,
    conn: Box<Connection>,
}

// SAFETY: the statements borrow only `conn`, and they always move together with it; the
// connection is opened without SQLite's mutex (multi-thread mode), which allows use from any
// one thread at a time — callers hold the `Database` behind a `Mutex` (napi/sqlite.rs).
unsafe impl Send for Database {}

/// Options of `Database::open`.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// ":memory:" or a file path.
    pub filename: String,
    /// How long a statement waits for another connection's lock.
    pub busy_timeout_ms: u32,
}

/// `sqlite3_db_config` options set on every connection (rusqlite 0.28 names them only with
/// modern_sqlite): SQLITE_DBCONFIG_DQS_DML and _DDL off (double-quoted strings are identifiers
/// only), SQLITE_DBCONFIG_ENABLE_QPSG on. The query planner stability guarantee keeps a cached
/// statement's plan whatever values are bound. Without it, a statement whose plan looked at a
/// bound value is parsed and planned again on the next step after that value changes: every
/// `LIKE ?` pattern, and every `indexed_column = ?` once ANALYZE has written `sqlite_stat4`
/// samples (better-sqlite3's SQLite, which the addon links, is built with STAT4, and
/// `PRAGMA optimize` runs ANALYZE) — a fifth of the instructions of a join of ten rows
/// (issue 18). Plans then come from the statistics' averages, as in an SQLite built without
/// STAT4.
pub(crate) const CONNECTION_CONFIG: [(i32, i32); 3] = [(1013, 0), (1014, 0), (1007, 1)];

impl Database {
    /// Opens (creating if needed) the database: foreign keys on, the dialect's functions
    /// registered, double-quoted strings refused (identifiers only), plans kept whatever the
    /// bound values (`CONNECTION_CONFIG`); file databases in WAL mode with
    /// `synchronous = NORMAL`, as better-sqlite3's build defaults.
    pub fn open(options: &OpenOptions) -> DbResult<Database> {
        configure_sqlite();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&options.filename, flags).map_err(map_error)?;
        conn.busy_timeout(Duration::from_millis(options.busy_timeout_ms as u64))
            .map_err(map_error)?;
        for (op, on) in CONNECTION_CONFIG {
            // SAFETY: `conn.handle()` is the open connection's handle, used on this thread
            // only; these options take an int (0: off, 1: on) and a nullable int out-pointer.
            let rc = unsafe {
                ffi::sqlite3_db_config(conn.handle(), op, on, std::ptr::null_mut::<i32>())
            };
            if rc != ffi::SQLITE_OK {
                return Err(from_code(rc, "cannot configure the SQLite connection"));
            }
        }
        functions::register(&conn).map_err(map_error)?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA cache_size = -16000")
            .map_err(map_error)?;
        if options.filename != ":memory:" {
            // journal_mode answers with a row: read it rather than execute_batch.
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .map_err(map_error)?;
            conn.execute_batch("PRAGMA synchronous = NORMAL")
                .map_err(map_error)?;
        }
        let conn = Box::new(conn);
        let checkpointer = if options.filename != ":memory:" && is_wal(&conn) {
            Checkpointer::start(&conn, &options.filename, options.busy_timeout_ms)
        } else {
            None
        };
        Ok(Database {
            statements: Vec::new(),
            free: Vec::new(),
            result: ResultBuilder::new(Vec::new()),
            checkpointer,
            conn,
        })
    }

    /// Prepares one statement; returns its id and column names (none: it returns no rows).
    pub fn prepare(&mut self, sql: &str) -> DbResult<(u32, &[String])> {
        check_single_statement(&self.conn, sql)?;
        let stmt = self.conn.prepare(sql).map_err(map_error)?;
        let columns = stmt.column_names().into_iter().map(str::to_owned).collect();
        // SAFETY: the statement borrows the boxed connection, which lives at a fixed address
        // until `self` drops, after every statement (field order).
        let stmt: Statement<'static> = unsafe { std::mem::transmute(stmt) };
        let bound = vec![None; stmt.parameter_count()];
        let prepared = Prepared {
            stmt,
            columns,
            bound,
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.statements[id as usize] = Some(prepared);
                id
            }
            None => {
                self.statements.push(Some(prepared));
                (self.statements.len() - 1) as u32
            }
        };
        Ok((
            id,
            self.statements[id as usize]
                .as_ref()
                .map(|p| &p.columns[..])
                .unwrap_or(&[]),
        ))
    }

    /// Frees a statement; its id may be handed out again.
    pub fn finalize(&mut self, id: u32) {
        if let Some(slot) = self.statements.get_mut(id as usize) {
            if slot.take().is_some() {
                self.free.push(id);
            }
        }
    }

    /// Frees every statement (after DDL, whose effect on cached column lists is unknown).
    pub fn finalize_all(&mut self) {
        self.statements.clear();
        self.free.clear();
    }

    /// The column names a statement had when prepared.
    pub fn columns(&self, id: u32) -> DbResult<&[String]> {
        Ok(&self.prepared(id)?.columns)
    }

    /// Runs a statement: its rows when it has columns, else its changes. `bind` binds every
    /// parameter through the `Binder`. `bigints`: every INTEGER is tagged BIGINT, as
    /// better-sqlite3 with safeIntegers hands every integer out as a bigint (REAL stays NUMBER).
    pub fn query(
        &mut self,
        id: u32,
        bigints: bool,
        bind: impl FnOnce(&mut Binder<'_>) -> DbResult<()>,
    ) -> DbResult<Outcome> {
        let conn: *const Connection = &*self.conn;
        let p = self
            .statements
            .get_mut(id as usize)
            .and_then(Option::as_mut)
            .ok_or_else(|| unknown_statement(id))?;
        if p.columns.is_empty() {
            bind_all(p, bind)?;
            // SAFETY: the connection outlives the call; `run` only reads counters from it.
            return run(unsafe { &*conn }, &mut p.stmt).map(Outcome::Changes);
        }
        bind_all(p, bind)?;
        encode_rows(&mut p.stmt, bigints, &mut self.result)?;
        Ok(Outcome::Rows)
    }

    /// The rows of the last `query` that returned `Outcome::Rows`.
    pub fn result(&self) -> &ResultBuilder {
        &self.result
    }

    /// Runs a statement for its effect: steps once (a RETURNING statement makes all its
    /// changes in that step) and returns the rows changed.
    pub fn run(
        &mut self,
        id: u32,
        bind: impl FnOnce(&mut Binder<'_>) -> DbResult<()>,
    ) -> DbResult<u64> {
        let conn: *const Connection = &*self.conn;
        let p = self.prepared_mut(id)?;
        bind_all(p, bind)?;
        // SAFETY: `conn` points into `self.conn`'s box, alive for the whole call; `p` borrows
        // only `self.statements`, and `run` only reads counters from the connection.
        run(unsafe { &*conn }, &mut p.stmt)
    }

    /// Runs SQL text without parameters (BEGIN, COMMIT, ROLLBACK; scripts).
    pub fn exec(&mut self, sql: &str) -> DbResult<()> {
        self.conn.execute_batch(sql).map_err(map_error)
    }

    /// Whether a transaction is open (SQLite is not in autocommit mode).
    pub fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// Finalizes every statement and closes the connection.
    pub fn close(mut self) -> DbResult<()> {
        self.finalize_all();
        // The checkpointer's connection closes first: the writer, closing last, checkpoints
        // what is left and removes the log.
        drop(self.checkpointer.take());
        let Database { conn, .. } = self;
        (*conn).close().map_err(|(_, e)| map_error(e))
    }

    /// How many times SQLite prepared the statement again since it was prepared (tests: a
    /// cached statement should be planned once).
    #[cfg(test)]
    pub(crate) fn reprepares(&self, id: u32) -> DbResult<i32> {
        Ok(self
            .prepared(id)?
            .stmt
            .get_status(rusqlite::StatementStatus::RePrepare))
    }

    /// The connection's current value of a `sqlite3_db_config` option (tests).
    #[cfg(test)]
    pub(crate) fn config(&self, op: i32) -> i32 {
        let mut value = -1;
        // SAFETY: the open connection's handle, on this thread; -1 leaves the option as it is
        // and SQLite writes its value into the live out-pointer.
        unsafe { ffi::sqlite3_db_config(self.conn.handle(), op, -1, &mut value as *mut i32) };
        value
    }

    fn prepared(&self, id: u32) -> DbResult<&Prepared> {
        self.statements
            .get(id as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| unknown_statement(id))
    }

    fn prepared_mut(&mut self, id: u32) -> DbResult<&mut Prepared> {
        self.statements
            .get_mut(id as usize)
            .and_then(Option::as_mut)
            .ok_or_else(|| unknown_statement(id))
    }
}

/// Binds parameters by position, refusing more than the statement has.
pub struct Binder<'s> {
    stmt: &'s mut Statement<'static>,
    /// The statement's current numeric bindings (`Prepared::bound`), one per parameter.
    current: &'s mut [Option<Scalar>],
    count: usize,
    bound: usize,
}

impl Binder<'_> {
    /// The statement's number of parameters.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Binds the next parameter. A number or NULL the parameter is already bound to (SQLite
    /// keeps bindings across runs) is not bound again: rebinding a parameter whose value the
    /// query planner used — a `LIMIT ?` on SQLite 3.53 — expires the statement, which SQLite
    /// then prepares again on the next step (~4 µs, more than the rest of a point query).
    pub fn bind(&mut self, value: Bind<'_>) -> DbResult<()> {
        if self.bound == self.count {
            return Err(DbError::new(
                ErrorKind::Bind,
                "Too many parameter values were provided",
            ));
        }
        let slot = &mut self.current[self.bound];
        self.bound += 1;
        let (v, scalar) = match value {
            Bind::Null => (ValueRef::Null, Some(Scalar::Null)),
            Bind::Integer(n) => (ValueRef::Integer(n), Some(Scalar::Integer(n))),
            Bind::Real(f) => (ValueRef::Real(f), Some(Scalar::Real(f.to_bits()))),
            Bind::Text(s) => (ValueRef::Text(s.as_bytes()), None),
            Bind::Blob(b) => (ValueRef::Blob(b), None),
        };
        if scalar.is_some() && *slot == scalar {
            return Ok(());
        }
        *slot = None; // until the bind below succeeds
        self.stmt
            .raw_bind_parameter(self.bound, ToSqlOutput::Borrowed(v))
            .map_err(map_error)?;
        *slot = scalar;
        Ok(())
    }

    /// Binds one `Value` (the JavaScript shape) as better-sqlite3 binds it: numbers — and
    /// booleans, which the JavaScript driver turns into the numbers 0/1 — as REAL, bigints as
    /// INTEGER; arrays are refused (the SQLite dialect encodes them as JSON text).
    pub fn bind_value(&mut self, value: &Value) -> DbResult<()> {
        match value {
            Value::Null => self.bind(Bind::Null),
            Value::Bool(b) => self.bind(Bind::Real(*b as i64 as f64)),
            Value::Number(n) => self.bind(Bind::Real(*n)),
            Value::BigInt(n) => self.bind(Bind::Integer(*n)),
            Value::Text(s) => self.bind(Bind::Text(s)),
            Value::Bytes(b) => self.bind(Bind::Blob(b)),
            Value::Array(_) => Err(array_error(self.bound + 1)),
        }
    }
}

/// Binds every `Value` of `values` in order.
pub fn bind_values(values: &[Value]) -> impl FnOnce(&mut Binder<'_>) -> DbResult<()> + '_ {
    move |b| values.iter().try_for_each(|v| b.bind_value(v))
}

/// The error for an array parameter: SQLite binds none (same words as the JavaScript driver).
pub fn array_error(position: usize) -> DbError {
    DbError::new(
        ErrorKind::Bind,
        format!(
            "parameter {position} is an array; SQLite binds arrays only as JSON text (the SQLite dialect encodes them)"
        ),
    )
}

fn bind_all(p: &mut Prepared, bind: impl FnOnce(&mut Binder<'_>) -> DbResult<()>) -> DbResult<()> {
    let count = p.bound.len();
    let mut binder = Binder {
        stmt: &mut p.stmt,
        current: &mut p.bound,
        count,
        bound: 0,
    };
    bind(&mut binder)?;
    if binder.bound < count {
        return Err(DbError::new(
            ErrorKind::Bind,
            "Too few parameter values were provided",
        ));
    }
    Ok(())
}

/// Process-wide settings, applied once before SQLite initializes: no memory statistics (they
/// take a global mutex on every allocation; better-sqlite3's build has them off too). Fails
/// harmlessly (SQLITE_MISUSE) if something in the process initialized SQLite first.
/// Whether the connection's main database is in WAL mode (an empty file opened read-only, or
/// a file system without shared memory, may have refused it).
fn is_wal(conn: &Connection) -> bool {
    conn.query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))
        .map(|mode| mode.eq_ignore_ascii_case("wal"))
        .unwrap_or(false)
}

fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: `sqlite3_config` takes a variadic int for MEMSTATUS; called once, before any
    // connection of this addon opens (it returns SQLITE_MISUSE, harmlessly, if SQLite already
    // initialized).
    ONCE.call_once(|| unsafe {
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::os::raw::c_int);
    });
}

/// Steps once and resets, as better-sqlite3's `run`: changes are counted only if the total
/// grew (`sqlite3_changes` keeps the last DML's count across DDL and SELECTs).
fn run(conn: &Connection, stmt: &mut Statement<'static>) -> DbResult<u64> {
    // SAFETY: the handle is only read from (the counters below), never closed or stored.
    let db = unsafe { conn.handle() };
    // SAFETY: `db` is the open connection `conn` borrows.
    let before = unsafe { ffi::sqlite3_total_changes(db) };
    {
        let mut rows = stmt.raw_query();
        rows.next().map_err(map_error)?;
    } // dropping `rows` resets the statement
      // SAFETY: as above.
    let after = unsafe { ffi::sqlite3_total_changes(db) };
    Ok(if after == before {
        0
    } else {
        // SAFETY: as above.
        unsafe { ffi::sqlite3_changes(db) as u64 }
    })
}

/// Steps through every row, pushing each cell by its storage class into `b` (reset first).
fn encode_rows(
    stmt: &mut Statement<'static>,
    bigints: bool,
    b: &mut ResultBuilder,
) -> DbResult<()> {
    let n = stmt.column_count();
    b.reset(n);
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(map_error)? {
        for c in 0..n {
            match row.get_ref_unwrap(c) {
                ValueRef::Null => b.push_null(),
                ValueRef::Integer(i) if bigints => b.push_bigint(i),
                ValueRef::Integer(i) => b.push_i64(i),
                ValueRef::Real(f) => b.push_f64(unsigned_zero(f)),
                ValueRef::Text(t) => match std::str::from_utf8(t) {
                    Ok(s) => b.push_text(s),
                    Err(_) => b.push_text(&String::from_utf8_lossy(t)),
                },
                ValueRef::Blob(bytes) => b.push_bytes(bytes),
            }
        }
    }
    Ok(())
}

/// better-sqlite3 prepares one statement per call: text after it may only be whitespace and
/// comments; empty text is refused too.
fn check_single_statement(conn: &Connection, sql: &str) -> DbResult<()> {
    // SAFETY: the handle is used for one prepare/finalize pair below, never closed or stored.
    let db = unsafe { conn.handle() };
    let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    let mut tail: *const std::os::raw::c_char = std::ptr::null();
    let bytes = sql.as_bytes();
    if bytes.len() > i32::MAX as usize {
        return Err(
            DbError::new(ErrorKind::Database, "the SQL text is too long")
                .with_code("SQLITE_TOOBIG"),
        );
    }
    // SAFETY: `db` is open; `bytes` is valid for `bytes.len()` (checked to fit an i32) bytes,
    // and `stmt` / `tail` are live out-pointers. SQLite points `tail` into `bytes`.
    let rc = unsafe {
        ffi::sqlite3_prepare_v2(
            db,
            bytes.as_ptr() as *const _,
            bytes.len() as i32,
            &mut stmt,
            &mut tail,
        )
    };
    if rc != ffi::SQLITE_OK {
        // SAFETY: `sqlite3_errmsg` returns a NUL-terminated string owned by the connection,
        // valid until its next call; it is copied at once.
        let message = unsafe { std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(db)) }
            .to_string_lossy()
            .into_owned();
        return Err(from_code(
            // SAFETY: `db` is open.
            unsafe { ffi::sqlite3_extended_errcode(db) },
            message,
        ));
    }
    // SAFETY: `stmt` is the statement just prepared (or null, which finalize accepts), and
    // finalized once; only its address is compared below.
    unsafe { ffi::sqlite3_finalize(stmt) };
    if stmt.is_null() {
        return Err(DbError::new(
            ErrorKind::Database,
            "The supplied SQL string contains no statements",
        ));
    }
    let offset = if tail.is_null() {
        bytes.len()
    } else {
        tail as usize - bytes.as_ptr() as usize
    };
    if !only_whitespace_and_comments(&bytes[offset.min(bytes.len())..]) {
        return Err(DbError::new(
            ErrorKind::Database,
            "The supplied SQL string contains more than one statement",
        ));
    }
    Ok(())
}

/// The tail check of better-sqlite3's `prepare`: spaces, `/* … */` and `-- …` comments only.
fn only_whitespace_and_comments(mut t: &[u8]) -> bool {
    while let Some(&c) = t.first() {
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' | b';') {
            t = &t[1..];
        } else if t.starts_with(b"/*") {
            t = match t[2..].windows(2).position(|w| w == b"*/") {
                Some(i) => &t[i + 4..],
                None => &[],
            };
        } else if t.starts_with(b"--") {
            t = match t.iter().position(|&b| b == b'\n') {
                Some(i) => &t[i + 1..],
                None => &[],
            };
        } else {
            return false;
        }
    }
    true
}

fn unknown_statement(id: u32) -> DbError {
    DbError::new(
        ErrorKind::Internal,
        format!("no prepared SQLite statement has id {id} (finalized, or the database was closed)"),
    )
}
