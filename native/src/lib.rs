//! yara's native engine.
//!
//! `napi` is the only module that knows about Node: hand-written Node-API bindings, typed
//! wrappers and the exported functions. Everything else is plain Rust, tested with `cargo test`:
//!
//! - `value`    — a bound parameter as JavaScript hands it over
//! - `columnar` — the one-buffer result encoding the generated decoders read
//! - `error`    — a structured error (kind, SQLSTATE, constraint, table, column)
//! - `pg`       — the Postgres pool, binder and binary type decoders
//! - `sqlite`   — the SQLite executor (rusqlite)

// Every `unsafe` block says why it holds (`// SAFETY:`), also inside `unsafe fn`s; clippy
// enforces both in CI (`cargo clippy -- -D warnings`).
#![warn(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
// `DbError` carries what JavaScript gets (message, SQLSTATE, constraint, table, column,
// detail) by value: errors are the cold path, and boxing them would add an allocation to each
// for no measured gain.
#![allow(clippy::result_large_err)]

pub mod columnar;
pub mod error;
pub mod pg;
pub mod sqlite;
pub mod value;

// Not in `cargo test` builds: its `napi_*` symbols only resolve inside the node process.
#[cfg(not(test))]
mod napi;
