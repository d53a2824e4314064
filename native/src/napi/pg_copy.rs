//! Bulk inserts through COPY (`pg::copy_insert`), on the pool or on a transaction's connection.
//! The promise resolves to the rows as a query result without column names (the caller named
//! them), or to `undefined` when COPY cannot serve the call and nothing was sent.
//!
//! ```text
//! pgCopyInsert(pool, table, key, columns, returning, values, bigints)       → Promise<[…] | undefined>
//! pgLeaseCopyInsert(lease, table, key, columns, returning, values, bigints) → Promise<[…] | undefined>
//! ```

use super::completion::{self, Completion};
use super::convert;
use super::env::{Env, JsError, JsResult, JsValue};
use super::export::{Args, Export};
use super::pg::{lease_of, PoolHandle};
use crate::error::DbError;
use crate::export;
use crate::pg::{runtime, CopyInsert, CopyOutcome};

pub const EXPORTS: &[Export] = &[
    export!("pgCopyInsert", pg_copy_insert),
    export!("pgLeaseCopyInsert", pg_lease_copy_insert),
];

fn strings(env: Env, v: JsValue) -> JsResult<Vec<String>> {
    if !env.is_array(v)? {
        return Err(JsError::argument("expected an array of column names"));
    }
    (0..env.array_len(v)?)
        .map(|i| env.get_string(env.get_element(v, i)?))
        .collect()
}

/// Arguments 1–6 after the handle.
fn request(env: Env, args: &Args) -> JsResult<CopyInsert> {
    Ok(CopyInsert {
        table: env.get_string(args.get(env, 1)?)?,
        key: env.get_string(args.get(env, 2)?)?,
        columns: strings(env, args.get(env, 3)?)?,
        returning: strings(env, args.get(env, 4)?)?,
        values: convert::params(env, args.get(env, 5)?)?,
        bigints: env.get_bool(args.get(env, 6)?).unwrap_or(false),
    })
}

fn settle(done: Completion, outcome: Result<CopyOutcome, DbError>) {
    match outcome {
        Ok(CopyOutcome::Rows(encoded)) => done.resolve_result(encoded, false),
        Ok(CopyOutcome::Fallback(_)) => done.resolve_undefined(),
        Err(e) => done.reject(e),
    }
}

fn pg_copy_insert(env: Env, args: &Args) -> JsResult<JsValue> {
    let pool = env
        .unwrap_handle::<PoolHandle>(args.get(env, 0)?)?
        .0
        .clone();
    let request = request(env, args)?;
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move { settle(done, pool.copy_insert(&request).await) });
    Ok(promise)
}

fn pg_lease_copy_insert(env: Env, args: &Args) -> JsResult<JsValue> {
    let lease = lease_of(env, args.get(env, 0)?)?;
    let request = request(env, args)?;
    let (promise, done) = completion::promise(env)?;
    runtime::spawn(async move { settle(done, lease.copy_insert(&request).await) });
    Ok(promise)
}
