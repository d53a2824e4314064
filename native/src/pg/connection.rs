//! One Postgres connection: a tokio-postgres `Client` (its socket task runs on the engine's
//! runtime), its prepared-statement cache, and the bookkeeping the pool reads: statements in
//! flight (several at once when pipelined), whether a transaction holds it, when it was last
//! used, and whether a server error left its transaction aborted.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures_util::{pin_mut, TryStreamExt};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::{CancelToken, Client, NoTls};

use super::binder::{Bound, MAX_PARAMS};
use super::config::{PgHost, PgSettings, SslMode};
use super::error::{decode_error, map_connect_error, map_error, map_socket_error};
use super::event_loop::{self, EventLoop};
use super::statement_cache::{Prepared, StatementCache};
use super::tls::MakeRustlsConnect;
use super::transaction_mode::TransactionMode;
use crate::columnar::{Encoded, ResultBuilder};
use crate::error::{DbError, DbResult, ErrorKind};
use crate::value::Value;

pub struct PgConnection {
    client: Client,
    statements: Mutex<StatementCache>,
    /// Statements of a transaction that ended with `run_ending`, dropped only once the next
    /// transaction here is open (`close_retired`): see `run_ending`.
    retired: Mutex<Vec<Arc<Prepared>>>,
    address: Arc<str>,
    /// Statements sent and not yet answered (shared connections pipeline several). Shared with
    /// the socket task, which a statement's caller only drives itself while it is alone here.
    pub(super) in_flight: Arc<AtomicUsize>,
    /// Held by one transaction (or a cancellable statement): no one else may use it.
    pub(super) exclusive: AtomicBool,
    pub(super) last_used: Mutex<Instant>,
    /// A server error since the last statement that succeeded: inside a transaction, Postgres
    /// has aborted it, and COMMIT will roll back.
    aborted: AtomicBool,
    /// Why the socket task ended, when the server said (a FATAL such as the idle-in-transaction
    /// timeout): later statements only learn that the connection is closed.
    failure: Arc<Mutex<Option<DbError>>>,
    /// A statement met a FATAL error or a dead socket: the socket task may not have noticed yet.
    broken: AtomicBool,
    /// A statement here has a parameter or column of a type that is not built in (an enum, a
    /// composite, an extension's type): tokio-postgres looked its definition up with named
    /// statements of its own, which it keeps for the client's life (`end_dropping_statements`).
    looked_up_types: AtomicBool,
}

/// Drives the connection's socket and keeps the error that ended it.
async fn watch<S, T>(
    connection: tokio_postgres::Connection<S, T>,
    failure: Arc<Mutex<Option<DbError>>>,
    address: String,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    if let Err(e) = connection.await {
        if e.as_db_error().is_some() {
            *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(map_error(&e, &address));
        }
    }
}

/// Starts the connection's socket task (`runtime::spawn_socket`).
fn start<S, T>(
    connection: tokio_postgres::Connection<S, T>,
    failure: &Arc<Mutex<Option<DbError>>>,
    address: &str,
    in_flight: &Arc<AtomicUsize>,
    home: Option<&Arc<dyn EventLoop>>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    super::runtime::spawn_socket(
        watch(connection, failure.clone(), address.to_string()),
        in_flight.clone(),
        home.cloned(),
    );
}

/// A cell's bytes as they came off the wire, whatever the column's type.
struct RawCell<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for RawCell<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawCell(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawCell(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The statements that open and end a transaction (`PgConnection::control`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Begin,
    Commit,
    Rollback,
}

impl Control {
    pub fn sql(self) -> &'static str {
        match self {
            Control::Begin => "BEGIN",
            Control::Commit => "COMMIT",
            Control::Rollback => "ROLLBACK",
        }
    }
}

/// What a statement returns: rows for `query`, a count for `execute`.
#[derive(Debug)]
pub enum Outcome {
    Rows(Encoded),
    Count(u64),
}

/// How `PgConnection::run_ending` went.
pub enum Ending {
    /// The statement was refused before it was bound (its Parse failed, or the parameters do
    /// not match): the SQL that ends the transaction was not sent, and the transaction is open.
    Refused(DbError),
    /// The statement ran, and the SQL that ends the transaction was sent behind it.
    Ran {
        outcome: DbResult<Outcome>,
        ended: DbResult<()>,
    },
}

/// Why a prepared statement could not be used.
enum Failure {
    Db(tokio_postgres::Error),
    Mapped(DbError),
}

impl PgConnection {
    /// Opens a connection (TLS when `tls` is given) and starts its socket task. With an
    /// `event_loop`, that loop watches the socket instead of the engine's runtime
    /// (`event_loop.rs`).
    pub async fn connect(
        settings: &PgSettings,
        tls: Option<&MakeRustlsConnect>,
        event_loop: Option<&Arc<dyn EventLoop>>,
    ) -> DbResult<Self> {
        let config = settings.connection_config();
        let address = &settings.address;
        let failure: Arc<Mutex<Option<DbError>>> = Arc::default();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let tls = tls.filter(|_| settings.sslmode != SslMode::Disable);
        let client = match (event_loop, tls) {
            (Some(event_loop), tls) => {
                let (host, unix) = match &settings.host {
                    PgHost::Tcp(host) => (host.as_str(), false),
                    PgHost::Socket(dir) => (dir.as_str(), true),
                };
                let stream = event_loop::connect(
                    host,
                    unix,
                    settings.port,
                    settings.connect_timeout,
                    event_loop.clone(),
                )
                .await
                .map_err(|e| map_socket_error(&e, address))?;
                match tls {
                    Some(tls) => {
                        let connect = MakeTlsConnect::<event_loop::LoopStream>::make_tls_connect(
                            &mut tls.clone(),
                            if unix { "" } else { host },
                        )
                        .map_err(|e| map_socket_error(&e, address))?;
                        let (client, connection) = config
                            .connect_raw(stream, connect)
                            .await
                            .map_err(|e| map_connect_error(&e, address))?;
                        start(connection, &failure, address, &in_flight, Some(event_loop));
                        client
                    }
                    None => {
                        let (client, connection) = config
                            .connect_raw(stream, NoTls)
                            .await
                            .map_err(|e| map_connect_error(&e, address))?;
                        start(connection, &failure, address, &in_flight, Some(event_loop));
                        client
                    }
                }
            }
            (None, Some(tls)) => {
                let (client, connection) = config
                    .connect(tls.clone())
                    .await
                    .map_err(|e| map_connect_error(&e, address))?;
                start(connection, &failure, address, &in_flight, None);
                client
            }
            (None, None) => {
                let (client, connection) = config
                    .connect(NoTls)
                    .await
                    .map_err(|e| map_connect_error(&e, address))?;
                start(connection, &failure, address, &in_flight, None);
                client
            }
        };
        Ok(PgConnection {
            client,
            statements: Mutex::new(StatementCache::default()),
            retired: Mutex::default(),
            address: Arc::from(address.as_str()),
            in_flight,
            exclusive: AtomicBool::new(false),
            last_used: Mutex::new(Instant::now()),
            aborted: AtomicBool::new(false),
            failure,
            broken: AtomicBool::new(false),
            looked_up_types: AtomicBool::new(false),
        })
    }

    /// The socket closed (server gone, connection killed): the pool drops it.
    pub fn is_broken(&self) -> bool {
        self.broken.load(Ordering::Relaxed) || self.client.is_closed()
    }

    pub fn cancel_token(&self) -> CancelToken {
        self.client.cancel_token()
    }

    pub fn is_aborted(&self) -> bool {
        self.aborted.load(Ordering::Relaxed)
    }

    /// Runs a statement and encodes its rows (`int8_as_bigint`: see `ColumnDecoder::push`).
    pub async fn query(
        &self,
        sql: &str,
        params: &[Value],
        int8_as_bigint: bool,
    ) -> DbResult<Encoded> {
        check_param_count(params)?;
        self.query_bound(sql, params, int8_as_bigint).await
    }

    /// Runs a transaction control statement with the simple query protocol: its text is fixed
    /// (never the caller's), and it takes one round trip where the extended protocol would
    /// prepare it first and run it second.
    pub async fn control(&self, what: Control) -> DbResult<()> {
        self.simple(what.sql()).await
    }

    /// BEGIN with an isolation level and access mode (`TransactionMode::begin_sql`), as `control`.
    pub async fn begin(&self, mode: &TransactionMode) -> DbResult<()> {
        self.simple(&mode.begin_sql()).await
    }

    async fn simple(&self, sql: &str) -> DbResult<()> {
        match self.client.batch_execute(sql).await {
            Ok(()) => {
                self.aborted.store(false, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => Err(self.failed(&e)),
        }
    }

    /// Runs a statement and returns the number of rows it affected.
    pub async fn execute(&self, sql: &str, params: &[Value]) -> DbResult<u64> {
        check_param_count(params)?;
        self.execute_bound(sql, params).await
    }

    async fn query_bound(
        &self,
        sql: &str,
        params: &[Value],
        int8_as_bigint: bool,
    ) -> DbResult<Encoded> {
        self.run(sql, params, |prepared| {
            self.fetch(prepared, params, int8_as_bigint)
        })
        .await
    }

    async fn execute_bound(&self, sql: &str, params: &[Value]) -> DbResult<u64> {
        self.run(sql, params, |prepared| async move {
            self.client
                .execute_raw(&prepared.statement, params.iter().map(Bound))
                .await
                .map_err(Failure::Db)
        })
        .await
    }

    /// Prepares (or reuses) the statement and runs `body` on it, re-preparing once when a cached
    /// plan went stale (a table changed shape under a cached `SELECT *`).
    ///
    /// Always the extended protocol (Parse, Bind, Execute), with or without parameters: the
    /// server refuses a string holding several statements ("cannot insert multiple commands
    /// into a prepared statement"), so one call runs exactly one statement and a value spliced
    /// into `raw()` SQL cannot append another.
    async fn run<'s, T, F, Fut>(&'s self, sql: &str, params: &[Value], body: F) -> DbResult<T>
    where
        F: Fn(Arc<Prepared>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>> + 's,
    {
        let mut retried = false;
        loop {
            let (prepared, cached) = self.prepared(sql).await.map_err(|e| self.failed(&e))?;
            let expected = prepared.statement.params().len();
            if expected != params.len() {
                // Refused before it runs (the server only prepared it): the connection and
                // its transaction stay as they were. tokio-postgres would panic on the mismatch.
                return Err(param_count_error(params.len(), expected));
            }
            match body(prepared).await {
                Ok(value) => {
                    self.aborted.store(false, Ordering::Relaxed);
                    return Ok(value);
                }
                Err(Failure::Db(e)) if cached && !retried && is_stale_plan(&e) => {
                    self.statements
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove(sql);
                    retried = true;
                }
                Err(Failure::Db(e)) => return Err(self.failed(&e)),
                Err(Failure::Mapped(e)) => return Err(e),
            }
        }
    }

    /// The last statement of a transaction, `query` (`bigints` given) or `execute` (`None`), with
    /// the SQL that ends the transaction (`end`, a simple query) sent right behind its Bind and
    /// Execute instead of after their answer: both take one round trip.
    ///
    /// For PgBouncer's transaction mode (`Lease::run_alone`), where `end` also deallocates what
    /// the transaction prepared: tokio-postgres sends a Close for a statement when it drops it,
    /// and this one's would go out after COMMIT, where PgBouncer gives it a server connection
    /// of its own. So the transaction's statements are kept (`retired`) until the next
    /// transaction here is open (`close_retired`): their Close messages go to its server
    /// connection, where closing a statement that does not exist is no error.
    pub async fn run_ending(
        &self,
        sql: &str,
        params: &[Value],
        bigints: Option<bool>,
        end: &str,
    ) -> Ending {
        if let Err(e) = check_param_count(params) {
            return Ending::Refused(e);
        }
        let prepared = match self.prepared(sql).await {
            Ok((prepared, _)) => prepared,
            Err(e) => return Ending::Refused(self.failed(&e)),
        };
        let expected = prepared.statement.params().len();
        if expected != params.len() {
            return Ending::Refused(param_count_error(params.len(), expected));
        }
        let statement = async {
            match bigints {
                Some(bigints) => self
                    .fetch(prepared.clone(), params, bigints)
                    .await
                    .map(Outcome::Rows),
                None => self
                    .client
                    .execute_raw(&prepared.statement, params.iter().map(Bound))
                    .await
                    .map(Outcome::Count)
                    .map_err(Failure::Db),
            }
        };
        // `join!` polls in order: the statement's first poll queues its Bind and Execute, and
        // `end` is queued behind them in the same write.
        let (ran, ended) = futures_util::join!(statement, self.simple(end));
        let outcome = match ran {
            Ok(ran) => Ok(ran),
            Err(Failure::Db(e)) => Err(self.failed(&e)),
            Err(Failure::Mapped(e)) => Err(e),
        };
        let cached =
            std::mem::take(&mut *self.statements.lock().unwrap_or_else(|p| p.into_inner()));
        let mut retired = self.retired.lock().unwrap_or_else(|p| p.into_inner());
        retired.push(prepared);
        retired.extend(cached.into_statements());
        Ending::Ran { outcome, ended }
    }

    /// Drops the statements `run_ending` kept: call it once the transaction that should carry
    /// their Close messages has sent its BEGIN.
    pub fn close_retired(&self) {
        let retired = std::mem::take(&mut *self.retired.lock().unwrap_or_else(|p| p.into_inner()));
        drop(retired);
    }

    fn failed(&self, err: &tokio_postgres::Error) -> DbError {
        if let Some(db) = err.as_db_error() {
            self.aborted.store(true, Ordering::Relaxed);
            if matches!(db.severity(), "FATAL" | "PANIC") {
                self.broken.store(true, Ordering::Relaxed);
            }
            return map_error(err, &self.address);
        }
        self.broken.store(true, Ordering::Relaxed);
        let mapped = map_error(err, &self.address);
        match &*self.failure.lock().unwrap_or_else(|p| p.into_inner()) {
            // The server said why before the socket closed: say it too, with its SQLSTATE.
            Some(reason) => {
                let mut explained = DbError::new(
                    ErrorKind::Connection,
                    format!(
                        "{} (the connection had already failed: Postgres at {}: {})",
                        mapped.message, self.address, reason.message
                    ),
                );
                explained.code = reason.code.clone();
                explained
            }
            _ => mapped,
        }
    }

    async fn prepared(&self, sql: &str) -> Result<(Arc<Prepared>, bool), tokio_postgres::Error> {
        if let Some(found) = self
            .statements
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(sql)
        {
            return Ok((found, true));
        }
        let statement = self.client.prepare(sql).await?;
        if has_looked_up_type(&statement) {
            self.looked_up_types.store(true, Ordering::Relaxed);
        }
        let prepared = Arc::new(Prepared::new(statement));
        self.statements
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(sql, prepared.clone());
        Ok((prepared, false))
    }

    /// Streams the rows straight into the columnar encoding.
    async fn fetch(
        &self,
        prepared: Arc<Prepared>,
        params: &[Value],
        int8_as_bigint: bool,
    ) -> Result<Encoded, Failure> {
        let rows = self
            .client
            .query_raw(&prepared.statement, params.iter().map(Bound))
            .await
            .map_err(Failure::Db)?;
        pin_mut!(rows);
        let mut out = ResultBuilder::new(prepared.columns.clone());
        while let Some(row) = rows.try_next().await.map_err(Failure::Db)? {
            for (i, decoder) in prepared.decoders.iter().enumerate() {
                let cell: RawCell = row.try_get(i).map_err(Failure::Db)?;
                decoder
                    .push(cell.0, &mut out, int8_as_bigint)
                    .map_err(|why| Failure::Mapped(decode_error(&prepared.columns[i], &why)))?;
            }
        }
        Ok(out.finish())
    }

    /// The tokio-postgres client, for protocols the methods above do not cover (`copy_insert`).
    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    /// The statement for `sql`, prepared once and kept in this connection's cache.
    pub(super) async fn statement(&self, sql: &str) -> DbResult<tokio_postgres::Statement> {
        self.prepared(sql)
            .await
            .map(|(prepared, _)| prepared.statement.clone())
            .map_err(|e| self.failed(&e))
    }

    /// A statement run through `client()` failed: the error mapped, the connection's state noted.
    pub(super) fn fail(&self, err: &tokio_postgres::Error) -> DbError {
        self.failed(err)
    }

    /// A statement run through `client()` succeeded: the transaction is not aborted.
    pub(super) fn succeeded(&self) {
        self.aborted.store(false, Ordering::Relaxed);
    }

    /// Drops every cached statement: tokio-postgres sends each one's Close now, ahead of whatever
    /// is sent next. Behind PgBouncer in transaction mode (`?pgbouncer=true`) a named statement
    /// exists only on the server connection that prepared it, which the client keeps only until
    /// its transaction ends: the lease forgets them before COMMIT or ROLLBACK (pool.rs), so a
    /// statement is reused within one transaction and never left on a server connection. The
    /// statements `run_ending` retired go as well: their Close messages then travel inside this
    /// transaction too.
    pub fn forget_statements(&self) {
        *self.statements.lock().unwrap_or_else(|p| p.into_inner()) = StatementCache::default();
        self.close_retired();
    }

    /// Whether tokio-postgres prepared statements of its own here to look types up: it keeps
    /// them under their names for as long as the client lives, and offers no way to close them.
    pub fn looked_up_types(&self) -> bool {
        self.looked_up_types.load(Ordering::Relaxed)
    }

    /// Ends the transaction and deallocates every statement prepared on the server connection,
    /// in one simple query, so one server connection runs both even behind PgBouncer: for a
    /// connection whose client keeps named statements we cannot close (`looked_up_types`), which
    /// the caller then closes rather than reuse (their names would exist on no server connection
    /// it gets next). An aborted transaction refuses `DEALLOCATE` until it ended: it is rolled
    /// back first (as its COMMIT would be); a live one deallocates first, so a COMMIT that fails
    /// (a deferred constraint) still leaves nothing behind.
    pub async fn end_dropping_statements(&self, what: Control) -> DbResult<()> {
        let sql = match what {
            Control::Begin => return self.control(what).await,
            Control::Commit if !self.is_aborted() => "DEALLOCATE ALL; COMMIT",
            Control::Commit | Control::Rollback => "ROLLBACK; DEALLOCATE ALL",
        };
        self.simple(sql).await
    }

    /// Statements cached on this connection (for tests).
    pub fn cached_statements(&self) -> usize {
        self.statements
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }
}

/// A parameter count that does not match the statement's placeholders, refused before the Bind
/// is sent (tokio-postgres would panic), in the words and SQLSTATE the server answers the `pg`
/// driver with, so both drivers throw the same `DatabaseError`. The statement was only
/// prepared: the connection and its transaction are as they were.
/// More parameters than one Bind message carries here: refused before anything is sent (the
/// runtime batches by the driver's `maxParams`; a list binds as one array parameter).
fn check_param_count(params: &[Value]) -> DbResult<()> {
    if params.len() <= MAX_PARAMS {
        return Ok(());
    }
    Err(DbError::new(
        ErrorKind::Params,
        format!(
            "the statement has {} parameters, but the native Postgres engine binds at most {MAX_PARAMS} \
             in one statement: split it, or bind a list as one array parameter (= ANY($1))",
            params.len()
        ),
    )
    .with_code("54000"))
}

pub(super) fn param_count_error(given: usize, expected: usize) -> DbError {
    DbError::new(
        ErrorKind::Params,
        format!(
            "bind message supplies {given} parameters, but prepared statement \"\" requires {expected}"
        ),
    )
    .with_code("08P01")
}

/// A parameter or column type tokio-postgres does not know by its OID, so it looked it up.
fn has_looked_up_type(statement: &tokio_postgres::Statement) -> bool {
    let columns = statement.columns().iter().map(|c| c.type_());
    statement
        .params()
        .iter()
        .chain(columns)
        .any(|ty| Type::from_oid(ty.oid()).is_none())
}

fn is_stale_plan(err: &tokio_postgres::Error) -> bool {
    err.as_db_error()
        .map(|db| db.code().code() == "0A000" && db.message().contains("cached plan"))
        .unwrap_or(false)
}
