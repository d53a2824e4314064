//! Postgres exports: the pool behind a handle, statements on it or on a connection leased for a
//! transaction, cancellation, close. Every call that waits returns a promise, settled where its
//! work finishes: usually in this thread's event-loop callback that read the reply
//! (`socket_poll`, settling in that same callback), else from the engine's tokio thread
//! (`pg::runtime`) or `runtime::spawn`'s first poll, through the thread-safe function
//! (`completion`); results cross as one buffer (`convert::result`).
//!
//! ```text
//! pgOpen(url, max?, min?, acquireTimeoutMs?, idleTimeoutMs?, connectTimeoutMs?) → Promise<pool>
//! pgQuery(pool, sql, params, withColumns, bigints, cancelId)   → Promise<[buffer, text, rows, columns?]>
//! pgExecute(pool, sql, params, cancelId)                       → Promise<rowCount>
//! pgCancel(pool, cancelId)                                     (cancelId > 0, unique per pool)
//! pgClose(pool)                                                → Promise<void>
//! pgAcquire(pool)                                              → Promise<lease>
//! pgTryAcquire(pool)                                           → lease | undefined (an idle connection, now)
//! pgLeaseQuery(lease, sql, params, withColumns, bigints)       → Promise<[…]>
//! pgLeaseExecute(lease, sql, params)                           → Promise<rowCount>
//! pgLeaseBegin(lease, isolation?, readOnly?, deferrable?)      (BEGIN goes out with the next statement)
//! pgLeaseEnd(lease, "COMMIT" | "ROLLBACK")                     → Promise<void> (simple protocol; nothing if BEGIN never went out)
//! pgLeaseAborted(lease)                                        → boolean (a statement failed: COMMIT rolls back)
//! pgRelease(lease, discard)                                    (discard: close the connection)
//! ```

use std::sync::{Arc, Mutex};

use super::completion::{self, Completion};
use super::convert;
use super::env::{Env, JsError, JsResult, JsType, JsValue};
use super::export::{Args, Export};
use super::handle::Handle;
use super::socket_poll;
use crate::error::{DbError, ErrorKind};
use crate::export;
use crate::pg::{
    parse_settings, runtime, Control, EventLoop, Lease, Outcome, PgPool, PoolOptions,
    StatementKind, TransactionMode,
};

pub const EXPORTS: &[Export] = &[
    export!("pgOpen", pg_open),
    export!("pgQuery", pg_query),
    export!("pgExecute", pg_execute),
    export!("pgCancel", pg_cancel),
    export!("pgClose", pg_close),
    export!("pgAcquire", pg_acquire),
    export!("pgTryAcquire", pg_try_acquire),
    export!("pgLeaseQuery", pg_lease_query),
    export!("pgLeaseExecute", pg_lease_execute),
    export!("pgLeaseBegin", pg_lease_begin),
    export!("pgLeaseEnd", pg_lease_end),
    export!("pgLeaseAborted", pg_lease_aborted),
    export!("pgRelease", pg_release),
];

pub(super) struct PoolHandle(pub(super) PgPool);

impl Handle for PoolHandle {
    const TAG: u64 = 0x7067_706f_6f6c_9d41;
    const NAME: &'static str = "Postgres pool";
}

/// A connection held by one transaction; `None` once released. Statements still in flight keep
/// their own reference, so the connection returns to the pool after the last one finishes.
pub(super) struct LeaseHandle(Mutex<Option<Arc<Lease>>>);

impl Handle for LeaseHandle {
    const TAG: u64 = 0x7067_6c65_6173_e217;
    const NAME: &'static str = "Postgres connection";
}

fn optional_u64(env: Env, v: JsValue) -> JsResult<Option<u64>> {
    Ok(match env.type_of(v)? {
        JsType::Number => Some(env.get_f64(v)?.max(0.0) as u64),
        _ => None,
    })
}

fn pg_open(env: Env, args: &Args) -> JsResult<JsValue> {
    let url = env.get_string(args.get(env, 0)?)?;
    let options = PoolOptions {
        max: optional_u64(env, args.get(env, 1)?)?.map(|n| n as u32),
        min: optional_u64(env, args.get(env, 2)?)?.map(|n| n as u32),
        acquire_timeout_ms: optional_u64(env, args.get(env, 3)?)?,
        idle_timeout_ms: optional_u64(env, args.get(env, 4)?)?,
        connect_timeout_ms: optional_u64(env, args.get(env, 5)?)?,
    };
    let settings = parse_settings(&url, options)?;
    // This thread's event loop watches the pool's sockets: a reply wakes this thread only.
    let event_loop: Arc<dyn EventLoop> = socket_poll::event_loop(env)?;
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move {
        match PgPool::open(settings, Some(event_loop)).await {
            Ok(pool) => done.settle(move |env| env.create_handle(PoolHandle(pool))),
            Err(e) => done.reject(e),
        }
    });
    Ok(promise)
}

fn settle(done: Completion, outcome: Result<Outcome, DbError>, with_columns: bool) {
    match outcome {
        Ok(Outcome::Rows(encoded)) => done.resolve_result(encoded, with_columns),
        Ok(Outcome::Count(n)) => done.resolve_number(n as f64),
        Err(e) => done.reject(e),
    }
}

/// `withColumns` and `bigints` of a query (arguments 3 and 4); nothing for execute.
fn query_flags(env: Env, args: &Args, kind: StatementKind) -> JsResult<(StatementKind, bool)> {
    Ok(match kind {
        StatementKind::Query { .. } => (
            StatementKind::Query {
                bigints: env.get_bool(args.get(env, 4)?).unwrap_or(false),
            },
            env.get_bool(args.get(env, 3)?).unwrap_or(true),
        ),
        StatementKind::Execute => (kind, false),
    })
}

fn run_on_pool(env: Env, args: &Args, kind: StatementKind) -> JsResult<JsValue> {
    let pool = env
        .unwrap_handle::<PoolHandle>(args.get(env, 0)?)?
        .0
        .clone();
    let sql = env.get_string(args.get(env, 1)?)?;
    let params = convert::params(env, args.get(env, 2)?)?;
    let (kind, with_columns) = query_flags(env, args, kind)?;
    let cancel_arg = if kind == StatementKind::Execute { 3 } else { 5 };
    let cancel = optional_u64(env, args.get(env, cancel_arg)?)?
        .filter(|id| *id > 0)
        .map(|id| (id, pool.cancel_slot(id)));
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move {
        let outcome = pool.run(kind, &sql, &params, cancel).await;
        settle(done, outcome, with_columns);
    });
    Ok(promise)
}

fn pg_query(env: Env, args: &Args) -> JsResult<JsValue> {
    run_on_pool(env, args, StatementKind::Query { bigints: false })
}

fn pg_execute(env: Env, args: &Args) -> JsResult<JsValue> {
    run_on_pool(env, args, StatementKind::Execute)
}

fn pg_cancel(env: Env, args: &Args) -> JsResult<JsValue> {
    let pool = env
        .unwrap_handle::<PoolHandle>(args.get(env, 0)?)?
        .0
        .clone();
    if let Some(id) = optional_u64(env, args.get(env, 1)?)? {
        runtime::spawn(async move { pool.cancel(id) });
    }
    env.undefined()
}

fn pg_close(env: Env, args: &Args) -> JsResult<JsValue> {
    let pool = env
        .unwrap_handle::<PoolHandle>(args.get(env, 0)?)?
        .0
        .clone();
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move {
        pool.close().await;
        done.resolve_undefined();
    });
    Ok(promise)
}

fn pg_acquire(env: Env, args: &Args) -> JsResult<JsValue> {
    let pool = env
        .unwrap_handle::<PoolHandle>(args.get(env, 0)?)?
        .0
        .clone();
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move {
        match pool.acquire().await {
            Ok(lease) => done.settle(move |env| {
                env.create_handle(LeaseHandle(Mutex::new(Some(Arc::new(lease)))))
            }),
            Err(e) => done.reject(e),
        }
    });
    Ok(promise)
}

/// An idle connection taken on this thread, without a promise; undefined when taking one would
/// wait (the caller then awaits `pgAcquire`).
fn pg_try_acquire(env: Env, args: &Args) -> JsResult<JsValue> {
    let pool = &env.unwrap_handle::<PoolHandle>(args.get(env, 0)?)?.0;
    // Broken connections dropped here close inside the engine's runtime.
    let _context = runtime::handle().enter();
    match pool.try_acquire() {
        Some(lease) => env.create_handle(LeaseHandle(Mutex::new(Some(Arc::new(lease))))),
        None => env.undefined(),
    }
}

pub(super) fn lease_of(env: Env, v: JsValue) -> JsResult<Arc<Lease>> {
    let handle = env.unwrap_handle::<LeaseHandle>(v)?;
    let held = handle.0.lock().unwrap_or_else(|p| p.into_inner());
    held.clone().ok_or_else(|| {
        JsError::Db(DbError::new(
            ErrorKind::Closed,
            "this transaction's connection has already gone back to the pool",
        ))
    })
}

fn run_on_lease(env: Env, args: &Args, kind: StatementKind) -> JsResult<JsValue> {
    let lease = lease_of(env, args.get(env, 0)?)?;
    let sql = env.get_string(args.get(env, 1)?)?;
    let params = convert::params(env, args.get(env, 2)?)?;
    let (kind, with_columns) = query_flags(env, args, kind)?;
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move {
        let outcome = lease.run(kind, &sql, &params).await;
        settle(done, outcome, with_columns);
    });
    Ok(promise)
}

fn pg_lease_query(env: Env, args: &Args) -> JsResult<JsValue> {
    run_on_lease(env, args, StatementKind::Query { bigints: false })
}

fn pg_lease_execute(env: Env, args: &Args) -> JsResult<JsValue> {
    run_on_lease(env, args, StatementKind::Execute)
}

fn pg_lease_begin(env: Env, args: &Args) -> JsResult<JsValue> {
    let lease = lease_of(env, args.get(env, 0)?)?;
    // Optional: isolation name, readOnly, deferrable (undefined leaves the server's default).
    let isolation = args.get(env, 1)?;
    let isolation = match env.type_of(isolation)? {
        JsType::String => Some(env.get_string(isolation)?),
        _ => None,
    };
    let flag = |i: usize| -> JsResult<Option<bool>> {
        let v = args.get(env, i)?;
        Ok(match env.type_of(v)? {
            JsType::Boolean => Some(env.get_bool(v)?),
            _ => None,
        })
    };
    let mode = TransactionMode::parse(isolation.as_deref(), flag(2)?, flag(3)? == Some(true))
        .map_err(JsError::Db)?;
    lease.begin_with(mode);
    env.undefined()
}

fn pg_lease_end(env: Env, args: &Args) -> JsResult<JsValue> {
    let lease = lease_of(env, args.get(env, 0)?)?;
    let what = match env.get_string(args.get(env, 1)?)?.as_str() {
        "COMMIT" => Control::Commit,
        "ROLLBACK" => Control::Rollback,
        other => {
            return Err(JsError::Db(DbError::new(
                ErrorKind::Params,
                format!("pgLeaseEnd ends a transaction with COMMIT or ROLLBACK, not {other:?}"),
            )))
        }
    };
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move {
        let ended = lease.end(what).await;
        // Let go of the connection before the promise settles: the transaction that the
        // caller starts next then finds it idle (`pgTryAcquire`) instead of waiting for it.
        drop(lease);
        match ended {
            Ok(()) => done.resolve_undefined(),
            Err(e) => done.reject(e),
        }
    });
    Ok(promise)
}

fn pg_lease_aborted(env: Env, args: &Args) -> JsResult<JsValue> {
    let lease = lease_of(env, args.get(env, 0)?)?;
    env.boolean(lease.is_aborted())
}

fn pg_release(env: Env, args: &Args) -> JsResult<JsValue> {
    let handle = env.unwrap_handle::<LeaseHandle>(args.get(env, 0)?)?;
    let discard = env.get_bool(args.get(env, 1)?).unwrap_or(false);
    let taken = handle.0.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(lease) = taken {
        if discard {
            lease.discard();
        }
        // Dropped inside runtime::spawn (its first poll runs here): the statements waiting for
        // a connection that this wakes are polled on the engine's thread.
        runtime::spawn(async move { drop(lease) });
    }
    env.undefined()
}
