//! The SQLite engine (rusqlite over the system SQLite): a connection with statements addressed
//! by id, rows encoded into the columnar result (`columnar.rs`), errors as `DbError`s carrying
//! SQLite's extended result code names. Plain Rust; napi/sqlite.rs exposes it to JavaScript.
//!
//! - `database` — open (WAL + busy timeout for files, foreign keys on), prepare, bind, query, run
//! - `checkpoint` — WAL checkpoints of file databases on a thread of their own
//! - `functions` — yara_lower / yara_upper, …, registered on every connection
//! - `decimal` — the exact decimal aggregates (yara_decimal_sum, …), registered with them
//! - `errors`, `codes` — rusqlite errors → `DbError`, result code names

mod checkpoint;
mod codes;
pub mod database;
mod decimal;
mod errors;
pub mod functions;

pub use database::{array_error, bind_values, Bind, Binder, Database, OpenOptions, Outcome};

#[cfg(test)]
mod tests;
