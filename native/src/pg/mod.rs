//! The Postgres engine, plain Rust under the Node-API layer:
//!
//! - `config`          — URL and pool options → settings (same parameters as the pg driver)
//! - `tls`             — rustls for `sslmode` require / verify-ca / verify-full
//! - `tls_error`       — TLS failures (alerts, certificates) in plain words
//! - `runtime`         — the one single-threaded tokio runtime on its own thread
//! - `pool`            — shared, pipelined connections; exclusive ones for transactions
//! - `event_loop`      — a socket watched by the caller's event loop (Node's), not the runtime
//! - `connection`      — one connection: prepare, bind, stream rows into the columnar result
//! - `statement_cache` — prepared statements per connection
//! - `binder`          — `Value` → parameter bytes, text or binary per type
//! - `decode`          — binary cells → columnar cells (`numeric`, `datetime` for the hard ones)
//! - `cancel`          — cancelling a statement whose caller gave up
//! - `transaction_mode` — isolation level and access mode → the one BEGIN statement
//! - `error`           — tokio-postgres errors → `DbError`
//! - `copy_insert`     — bulk inserts through binary COPY, keys from the sequence, rows echoed
//! - `copy_encode`     — `Value` → binary COPY cell, exactly or not at all
//! - `jsonb_order`     — JSON text with its keys in jsonb's order

pub mod binder;
pub mod cancel;
pub mod config;
pub mod connection;
pub mod copy_encode;
pub mod copy_insert;
pub mod datetime;
pub mod decode;
pub mod error;
pub mod event_loop;
pub mod jsonb_order;
pub mod numeric;
pub mod pool;
pub mod runtime;
pub mod statement_cache;
pub mod tls;
pub mod tls_error;
pub mod transaction_mode;

pub use config::{parse_settings, PgSettings, PoolOptions};
pub use connection::Control;
pub use copy_insert::{CopyInsert, CopyOutcome};
pub use event_loop::{EventLoop, SocketWatch};
pub use pool::{Lease, Outcome, PgPool, StatementKind};
pub use transaction_mode::TransactionMode;
