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

pub mod columnar;
pub mod error;
pub mod pg;
pub mod sqlite;
pub mod value;

// Not in `cargo test` builds: its `napi_*` symbols only resolve inside the node process.
#[cfg(not(test))]
mod napi;
