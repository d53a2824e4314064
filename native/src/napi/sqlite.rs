//! SQLite exports (JavaScript side: runtime/driver/native/sqlite.ts).
//!
//! ```text
//! sqliteOpen(filename, busyTimeoutMs)        → handle
//! sqlitePrepare(handle, sql)                  → [id, columns]   (columns [] : returns no rows)
//! sqliteAttachArena(handle, arrayBuffer)      → undefined (see napi/arena.rs)
//! sqliteQuery(handle, id, params, bigints)    → text: the rows went into the arena (offset and
//!                                               row count in its header) | [buffer, text, rows]
//!                                               (no arena, or no room) | changes (no columns);
//!                                               bigints: INTEGER cells tagged BIGINT
//! sqliteRun(handle, id, params)               → changes
//! sqliteQueryAsync(handle, id, params, bigints) → Promise of what sqliteQuery returns, run on
//!                                               a worker thread; until it settles every other
//!                                               call on the handle fails with kind "internal"
//!                                               (the JavaScript driver queues them instead)
//! sqliteExec(handle, sql)                     → undefined (BEGIN/COMMIT/ROLLBACK, scripts)
//! sqliteInTransaction(handle)                 → boolean
//! sqliteFinalize(handle, id) / sqliteFinalizeAll(handle) / sqliteClose(handle)
//! ```
//!
//! Ordinary statements run synchronously on the JavaScript thread (a point query costs a few
//! microseconds; a promise and a thread hop would cost ten times that). Parameters bind straight
//! from the JavaScript values, without building `Value`s, on that path.

use std::cell::RefCell;
use std::ffi::c_char;
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use super::arena::Arena;
use super::completion;
use super::convert;
use super::env::{Env, JsError, JsResult, JsType, JsValue};
use super::export::{panic_error, Args, Export};
use super::handle::Handle;
use super::sys::*;
use crate::error::{DbError, DbResult, ErrorKind};
use crate::export;
use crate::sqlite::{array_error, bind_values, Bind, Binder, Database, OpenOptions, Outcome};

pub const EXPORTS: &[Export] = &[
    export!("sqliteOpen", open),
    export!("sqliteAttachArena", attach_arena),
    export!("sqlitePrepare", prepare),
    export!("sqliteQuery", query),
    export!("sqliteRun", run),
    export!("sqliteQueryAsync", query_async),
    export!("sqliteExec", exec),
    export!("sqliteInTransaction", in_transaction),
    export!("sqliteFinalize", finalize),
    export!("sqliteFinalizeAll", finalize_all),
    export!("sqliteClose", close),
];

/// A connection as JavaScript holds it. `None` once closed.
struct SqliteHandle {
    db: Arc<Mutex<Option<Database>>>,
    /// Where small results of the synchronous path go (JavaScript thread only).
    arena: RefCell<Arena>,
}

impl Handle for SqliteHandle {
    const TAG: u64 = 0x7961_7261_5351_4c31; // "yaraSQL1"
    const NAME: &'static str = "SQLite connection";

    fn finalize(&mut self, env: Env) {
        self.arena.get_mut().release(env);
    }
}

impl SqliteHandle {
    /// The database, for a call on the JavaScript thread: never waits (an off-thread statement
    /// holding it is a bug of the caller, reported as such).
    fn lock(&self) -> JsResult<MutexGuard<'_, Option<Database>>> {
        match self.db.try_lock() {
            Ok(guard) => Ok(guard),
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(TryLockError::WouldBlock) => Err(JsError::Db(DbError::new(
                ErrorKind::Internal,
                "the SQLite connection is busy with an off-thread statement; queue statements behind it",
            ))),
        }
    }
}

fn open_db<'a>(guard: &'a mut MutexGuard<'_, Option<Database>>) -> JsResult<&'a mut Database> {
    guard.as_mut().ok_or_else(|| JsError::Db(closed()))
}

fn closed() -> DbError {
    DbError::new(ErrorKind::Closed, "this SQLite database has been closed")
}

fn open(env: Env, args: &Args) -> JsResult<JsValue> {
    let filename = env.get_string(args.get(env, 0)?)?;
    let busy_timeout_ms = env.get_u32(args.get(env, 1)?)?;
    let db = Database::open(&OpenOptions {
        filename,
        busy_timeout_ms,
    })?;
    env.create_handle(SqliteHandle {
        db: Arc::new(Mutex::new(Some(db))),
        arena: RefCell::new(Arena::default()),
    })
}

fn attach_arena(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    h.arena.borrow_mut().attach(env, args.get(env, 1)?)?;
    env.undefined()
}

fn prepare(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let sql = env.get_string(args.get(env, 1)?)?;
    let mut guard = h.lock()?;
    let (id, columns) = open_db(&mut guard)?.prepare(&sql)?;
    let out = env.array(2)?;
    let cols = env.string_array(columns)?;
    env.set_element(out, 0, env.uint32(id)?)?;
    env.set_element(out, 1, cols)?;
    Ok(out)
}

fn query(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let id = env.get_u32(args.get(env, 1)?)?;
    let params = args.get(env, 2)?;
    let bigints = env.get_bool(args.get(env, 3)?).unwrap_or(false);
    let mut guard = h.lock()?;
    let db = open_db(&mut guard)?;
    let mut failure = None;
    let outcome = db.query(id, bigints, |b| bind_js(env, b, params, &mut failure));
    if let Some(e) = failure {
        return Err(e); // a Node-API failure while binding outranks the DbError it caused
    }
    match outcome? {
        Outcome::Changes(n) => env.double(n as f64),
        Outcome::Rows => {
            let result = db.result();
            if h.arena.borrow_mut().place(result) {
                text_value(env, result.text(), result.text_is_ascii())
            } else {
                convert::result(env, result.encode(), false)
            }
        }
    }
}

fn text_value(env: Env, text: &str, ascii: bool) -> JsResult<JsValue> {
    if ascii {
        env.string_latin1(text.as_bytes())
    } else {
        env.string_utf8(text)
    }
}

fn run(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let id = env.get_u32(args.get(env, 1)?)?;
    let params = args.get(env, 2)?;
    let mut guard = h.lock()?;
    let db = open_db(&mut guard)?;
    let mut failure = None;
    let changes = db.run(id, |b| bind_js(env, b, params, &mut failure));
    if let Some(e) = failure {
        return Err(e);
    }
    env.double(changes? as f64)
}

/// Runs the statement on a worker thread; the promise settles on the JavaScript thread.
fn query_async(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let id = env.get_u32(args.get(env, 1)?)?;
    let params = convert::params(env, args.get(env, 2)?)?;
    let bigints = env.get_bool(args.get(env, 3)?).unwrap_or(false);
    drop(h.lock()?); // fail now, not on the worker, if busy
    let db = h.db.clone();
    let (promise, done) = completion::promise(env)?;
    std::thread::Builder::new()
        .name("yara-sqlite".into())
        .spawn(move || {
            let work = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut guard = db.lock().unwrap_or_else(|p| p.into_inner());
                match guard.as_mut() {
                    Some(db) => {
                        db.query(id, bigints, bind_values(&params))
                            .map(|outcome| match outcome {
                                Outcome::Rows => Ok(db.result().encode()),
                                Outcome::Changes(n) => Err(n),
                            })
                    }
                    None => Err(closed()),
                }
            }));
            match work {
                Ok(Ok(Ok(encoded))) => done.resolve_result(encoded, false),
                Ok(Ok(Err(changes))) => done.resolve_number(changes as f64),
                Ok(Err(e)) => done.reject(e),
                Err(payload) => done.reject(panic_error(payload)),
            }
        })
        .map_err(|e| {
            JsError::Db(DbError::new(
                ErrorKind::Internal,
                format!("cannot start a SQLite worker thread: {e}"),
            ))
        })?;
    Ok(promise)
}

fn exec(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let sql = env.get_string(args.get(env, 1)?)?;
    let mut guard = h.lock()?;
    open_db(&mut guard)?.exec(&sql)?;
    env.undefined()
}

fn in_transaction(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let guard = h.lock()?;
    env.boolean(guard.as_ref().is_some_and(Database::in_transaction))
}

fn finalize(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let id = env.get_u32(args.get(env, 1)?)?;
    if let Some(db) = h.lock()?.as_mut() {
        db.finalize(id);
    }
    env.undefined()
}

fn finalize_all(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    if let Some(db) = h.lock()?.as_mut() {
        db.finalize_all();
    }
    env.undefined()
}

/// Closes the connection (idempotent).
fn close(env: Env, args: &Args) -> JsResult<JsValue> {
    let h = env.unwrap_handle::<SqliteHandle>(args.get(env, 0)?)?;
    let db = h.lock()?.take();
    h.arena.borrow_mut().release(env);
    if let Some(db) = db {
        db.close()?;
    }
    env.undefined()
}

/// Binds a JavaScript parameter array straight into the statement. A Node-API failure is kept
/// in `failure` (the binder's error type is `DbError`).
fn bind_js(
    env: Env,
    b: &mut Binder<'_>,
    params: JsValue,
    failure: &mut Option<JsError>,
) -> DbResult<()> {
    match bind_js_inner(env, b, params) {
        Ok(()) => Ok(()),
        Err(JsError::Db(e)) => Err(e),
        Err(pending) => {
            *failure = Some(pending);
            Err(DbError::new(
                ErrorKind::Internal,
                "a Node-API call failed while binding",
            ))
        }
    }
}

fn bind_js_inner(env: Env, b: &mut Binder<'_>, params: JsValue) -> JsResult<()> {
    // napi_get_array_length refuses anything but an array: one call checks and measures.
    let n = env
        .array_len(params)
        .map_err(|_| JsError::argument("parameters must be an array"))?;
    for i in 0..n {
        let v = env.get_element(params, i)?;
        let position = i as usize + 1;
        match env.type_of(v)? {
            JsType::Null => b.bind(Bind::Null)?,
            JsType::Number => b.bind(Bind::Real(env.get_f64(v)?))?,
            JsType::Boolean => b.bind(Bind::Real(env.get_bool(v)? as i64 as f64))?,
            JsType::BigInt => {
                let (n, lossless) = env.get_bigint_i64(v)?;
                if !lossless {
                    return Err(convert::bind_error(
                        position,
                        "is a bigint wider than 64 bits; SQL integers hold at most 64 bits",
                    ));
                }
                b.bind(Bind::Integer(n))?
            }
            JsType::String => bind_string(env, b, v)?,
            JsType::Object => {
                if let Some(bytes) = env.get_bytes(v)? {
                    b.bind(Bind::Blob(bytes))?
                } else if env.is_array(v)? {
                    return Err(JsError::Db(array_error(position)));
                } else {
                    convert::param(env, v, position, false)?; // the bind error for this shape
                }
            }
            _ => {
                convert::param(env, v, position, false)?;
            }
        }
    }
    Ok(())
}

/// Binds a string through a stack buffer when it is short (one Node-API call, no allocation).
fn bind_string(env: Env, b: &mut Binder<'_>, v: JsValue) -> JsResult<()> {
    let mut stack = [0u8; 512];
    let mut len = 0usize;
    // SAFETY: the current call's environment and value; V8 writes at most `stack.len()` bytes
    // (NUL included) into `stack` and the length (without the NUL) into `len`.
    env.check(unsafe {
        napi_get_value_string_utf8(
            env.raw(),
            v.raw(),
            stack.as_mut_ptr() as *mut c_char,
            stack.len(),
            &mut len,
        )
    })?;
    if len < stack.len() - 4 {
        // SAFETY: V8 writes valid UTF-8 (a lone surrogate becomes U+FFFD) and never cuts a
        // sequence short; `stack[..len]` is what it wrote.
        let s = unsafe { std::str::from_utf8_unchecked(&stack[..len]) };
        return Ok(b.bind(Bind::Text(s))?);
    }
    let owned = env.get_string(v)?;
    Ok(b.bind(Bind::Text(&owned))?)
}
