//! The Postgres engine, plain Rust under the Node-API layer:
//!
//! - `config`          — URL and pool options → settings (same parameters as the pg driver)
//! - `tls`             — rustls for `sslmode` require / verify-ca / verify-full
//! - `tls_error`       — TLS failures (alerts, certificates) in plain words
//! - `runtime`         — the one single-threaded tokio runtime on its own thread
//! - `pool`            — shared, pipelined connections; exclusive ones for transactions
//! - `connection`      — one connection: prepare, bind, stream rows into the columnar result
//! - `statement_cache` — prepared statements per connection
//! - `binder`          — `Value` → parameter bytes, text or binary per type
//! - `decode`          — binary cells → columnar cells (`numeric`, `datetime` for the hard ones)
//! - `cancel`          — cancelling a statement whose caller gave up
//! - `transaction_mode` — isolation level and access mode → the one BEGIN statement
//! - `error`           — tokio-postgres errors → `DbError`

pub mod binder;
pub mod cancel;
pub mod config;
pub mod connection;
pub mod datetime;
pub mod decode;
pub mod error;
pub mod numeric;
pub mod pool;
pub mod runtime;
pub mod statement_cache;
pub mod tls;
pub mod tls_error;
pub mod transaction_mode;

pub use config::{parse_settings, PgSettings, PoolOptions};
pub use connection::Control;
pub use pool::{Lease, Outcome, PgPool, StatementKind};
pub use transaction_mode::TransactionMode;
