//! The connection pool: at most `max` connections, opened on demand, shared between statements
//! and handed exclusively to transactions.
//!
//! - A statement outside a transaction takes an idle connection, or opens one while fewer than
//!   `SPREAD` are busy, or else joins the least busy connection: tokio-postgres pipelines
//!   concurrent statements on one connection, and a few pipelined connections beat many idle
//!   ones on a small machine (docs: architecture.md).
//! - A transaction (or a statement that may be cancelled) gets a connection to itself: an idle
//!   one, a new one, or a shared one whose pipelined statements run before its own (a
//!   cancellable statement waits for them to finish, so its cancel requests cannot stop one,
//!   and keeps it until they were answered, so they cannot stop the next one either).
//! - Waiting for a connection ends after `acquireTimeoutMs` with an error naming the pool size;
//!   closing the pool fails the waiters.
//! - Broken connections are dropped when found, idle ones above `min` after `idleTimeoutMs`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::cancel::{CancelSlot, CancelTarget};
use super::config::{PgSettings, SslMode};
pub use super::connection::Outcome;
use super::connection::{Control, Ending, PgConnection};
use super::copy_insert::{copy_insert, CopyInsert, CopyOutcome};
use super::event_loop::EventLoop;
use super::tls::MakeRustlsConnect;
use super::transaction_mode::TransactionMode;
use crate::error::{DbError, DbResult, ErrorKind};
use crate::value::Value;

/// What ends a lone statement's transaction behind PgBouncer (`Lease::run_alone`): the
/// statements prepared in it dropped first, so a COMMIT that fails leaves none behind either.
const DEALLOCATE_AND_COMMIT: &str = "DEALLOCATE ALL; COMMIT";

/// Busy connections statements spread over before they start to pipeline.
const SPREAD: usize = 4;

#[derive(Clone)]
pub struct PgPool {
    inner: Arc<PoolInner>,
}

struct PoolInner {
    settings: PgSettings,
    tls: Option<MakeRustlsConnect>,
    /// Watches every connection's socket when given (`event_loop.rs`).
    event_loop: Option<Arc<dyn EventLoop>>,
    state: Mutex<PoolState>,
    /// Signalled whenever a connection is released, added, dropped, or the pool closes.
    changed: Notify,
    cancels: Mutex<HashMap<u64, Arc<CancelSlot>>>,
}

#[derive(Default)]
struct PoolState {
    conns: Vec<Arc<PgConnection>>,
    opening: usize,
    closed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Shared,
    Exclusive,
}

enum Choice {
    Take(Arc<PgConnection>),
    Open,
    Wait,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// Rows; `bigints`: int8 cells tagged BIGINT however small (`QueryOptions.bigints`).
    Query { bigints: bool },
    /// The number of rows affected.
    Execute,
}

/// A connection taken from the pool; dropping it gives it back.
pub struct Lease {
    conn: Arc<PgConnection>,
    pool: Arc<PoolInner>,
    usage: Use,
    discard: AtomicBool,
    /// BEGIN was asked for and not sent yet: it goes out with the next statement (`begin`).
    begin: Mutex<Option<TransactionMode>>,
}

impl PgPool {
    /// Creates the pool and opens its first connection, so a wrong host, password or database
    /// fails here. With an `event_loop`, it watches the connections' sockets (`event_loop.rs`).
    pub async fn open(
        settings: PgSettings,
        event_loop: Option<Arc<dyn EventLoop>>,
    ) -> DbResult<PgPool> {
        let tls = match settings.sslmode {
            SslMode::Disable => None,
            mode => Some(MakeRustlsConnect::new(mode, &settings.tls)?),
        };
        let inner = Arc::new(PoolInner {
            settings,
            tls,
            event_loop,
            state: Mutex::new(PoolState::default()),
            changed: Notify::new(),
            cancels: Mutex::new(HashMap::new()),
        });
        let first = inner.connect().await?;
        inner.lock().conns.push(Arc::new(first));
        PoolInner::start_reaper(&inner);
        Ok(PgPool { inner })
    }

    /// Runs one statement outside any transaction. With a cancel slot (see `cancel_slot`) it
    /// runs on a connection of its own, so cancelling it cannot hit a pipelined neighbour.
    pub async fn run(
        &self,
        kind: StatementKind,
        sql: &str,
        params: &[Value],
        cancel: Option<(u64, Arc<CancelSlot>)>,
    ) -> DbResult<Outcome> {
        match cancel {
            None if self.inner.settings.pgbouncer => {
                self.inner
                    .acquire(Use::Exclusive)
                    .await?
                    .run_alone(kind, sql, params)
                    .await
            }
            None => {
                self.inner
                    .acquire(Use::Shared)
                    .await?
                    .run(kind, sql, params)
                    .await
            }
            Some((id, slot)) => {
                let result = async {
                    let lease = tokio::select! {
                        lease = self.inner.acquire(Use::Exclusive) => lease?,
                        _ = slot.cancelled() => return Err(super::cancel::cancelled_error()),
                    };
                    // A shared connection taken exclusively still runs its pipelined statements
                    // first; a cancel request sent meanwhile would stop one of those instead.
                    tokio::select! {
                        _ = lease.drained() => {}
                        _ = slot.cancelled() => return Err(super::cancel::cancelled_error()),
                    }
                    if slot.is_cancelled() {
                        return Err(super::cancel::cancelled_error());
                    }
                    let target = CancelTarget {
                        token: lease.cancel_token(),
                        settings: &self.inner.settings,
                        tls: self.inner.tls.as_ref(),
                    };
                    let finished = slot
                        .until_done(lease.run_alone(kind, sql, params), &target)
                        .await;
                    if !finished.settled {
                        // A cancel request may still land: it would stop the next statement.
                        lease.discard();
                    }
                    finished.result
                }
                .await;
                self.inner
                    .cancels
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&id);
                result
            }
        }
    }

    /// Inserts many rows with COPY on a connection of its own (`copy_insert.rs`), outside any
    /// transaction: COPY is one statement, so it writes every row or none.
    pub async fn copy_insert(&self, request: &CopyInsert) -> DbResult<CopyOutcome> {
        let lease = self.inner.acquire(Use::Exclusive).await?;
        // A shared connection taken exclusively first answers its pipelined statements.
        lease.drained().await;
        if !self.inner.settings.pgbouncer {
            return copy_insert(&lease.conn, request).await;
        }
        // Behind PgBouncer the keys, the COPY and the statements prepared for them share one
        // transaction, so one server connection runs them all (as `Lease::run_alone`).
        lease.begin();
        let outcome = lease.copy_insert(request).await;
        let end = if outcome.is_ok() {
            Control::Commit
        } else {
            Control::Rollback
        };
        match (outcome, lease.end(end).await) {
            (Ok(outcome), Ok(())) => Ok(outcome),
            (Ok(_), Err(e)) => {
                lease.discard();
                Err(e)
            }
            (Err(e), ended) => {
                if ended.is_err() {
                    lease.discard();
                }
                Err(e)
            }
        }
    }

    /// A connection for a transaction, held until the lease drops.
    pub async fn acquire(&self) -> DbResult<Lease> {
        self.inner.acquire(Use::Exclusive).await
    }

    /// `acquire` when it would not wait: an idle connection taken now, on the caller's thread,
    /// or `None` (none idle, the pool closed) and the caller awaits `acquire`. A transaction
    /// then starts without a promise of its own settled through the JavaScript thread's loop.
    pub fn try_acquire(&self) -> Option<Lease> {
        let conn = {
            let mut state = self.inner.lock();
            if state.closed {
                return None;
            }
            state.conns.retain(|c| !c.is_broken());
            let conn = idle(&state)?;
            mark(&conn, Use::Exclusive);
            conn
        };
        Some(self.inner.lease(conn, Use::Exclusive))
    }

    /// Registers a statement that may be cancelled; call before `run`, on the caller's thread,
    /// so a `cancel` that follows at once finds it.
    pub fn cancel_slot(&self, id: u64) -> Arc<CancelSlot> {
        let slot = Arc::new(CancelSlot::default());
        self.inner
            .cancels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, slot.clone());
        slot
    }

    /// Cancels statement `id` if it is still waiting or running; no-op once it finished.
    pub fn cancel(&self, id: u64) {
        let slot = self
            .inner
            .cancels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned();
        if let Some(slot) = slot {
            slot.cancel();
        }
    }

    /// Refuses new statements, fails those waiting for a connection, waits for the statements
    /// and transactions holding connections, then closes every connection.
    pub async fn close(&self) {
        self.inner.lock().closed = true;
        self.inner.changed.notify_waiters();
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut state = self.inner.lock();
                let busy = state.conns.iter().any(|c| {
                    c.exclusive.load(Ordering::Acquire) || c.in_flight.load(Ordering::Acquire) > 0
                });
                if !busy && state.opening == 0 {
                    state.conns.clear();
                    return;
                }
            }
            notified.await;
        }
    }

    /// Open connections (for tests and diagnostics).
    pub fn size(&self) -> usize {
        self.inner.lock().conns.len()
    }

    /// Prepared statements cached on each open connection (for tests).
    pub fn cached_statements(&self) -> Vec<usize> {
        self.inner
            .lock()
            .conns
            .iter()
            .map(|c| c.cached_statements())
            .collect()
    }
}

impl PoolInner {
    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens one connection within `connect_timeout` (TCP connect, TLS handshake, startup and
    /// login together): a server that accepts the socket and never answers fails here.
    async fn connect(&self) -> DbResult<PgConnection> {
        let connecting =
            PgConnection::connect(&self.settings, self.tls.as_ref(), self.event_loop.as_ref());
        match self.settings.connect_timeout {
            None => connecting.await,
            Some(limit) => tokio::time::timeout(limit, connecting)
                .await
                .unwrap_or_else(|_| Err(connect_timeout_error(&self.settings.address, limit))),
        }
    }

    async fn acquire(self: &Arc<Self>, usage: Use) -> DbResult<Lease> {
        let deadline = self
            .settings
            .pool
            .acquire_timeout
            .map(|t| Instant::now() + t);
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let choice = {
                let mut state = self.lock();
                if state.closed {
                    return Err(closed_error());
                }
                state.conns.retain(|c| !c.is_broken());
                let choice = choose(&state, usage, self.settings.pool.max);
                match &choice {
                    Choice::Take(conn) => mark(conn, usage),
                    Choice::Open => state.opening += 1,
                    Choice::Wait => {}
                }
                choice
            };
            match choice {
                Choice::Take(conn) => return Ok(self.lease(conn, usage)),
                Choice::Open => {
                    // Counted in `opening` until the guard drops, also when this future is
                    // dropped mid-connect (its statement was cancelled): `close` waits for
                    // `opening` to reach zero.
                    let guard = Opening(self);
                    let opened = tokio::select! {
                        opened = self.connect() => opened,
                        _ = self.closing() => Err(closed_error()),
                    };
                    let result = opened.map(|conn| {
                        let conn = Arc::new(conn);
                        mark(&conn, usage);
                        self.lock().conns.push(conn.clone());
                        conn
                    });
                    drop(guard);
                    return result.map(|conn| self.lease(conn, usage));
                }
                Choice::Wait => match deadline {
                    None => notified.await,
                    Some(deadline) => {
                        if tokio::time::timeout_at(deadline.into(), notified)
                            .await
                            .is_err()
                        {
                            return Err(self.exhausted_error());
                        }
                    }
                },
            }
        }
    }

    /// Resolves once `close` has been called.
    async fn closing(&self) {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.lock().closed {
                return;
            }
            notified.await;
        }
    }

    fn lease(self: &Arc<Self>, conn: Arc<PgConnection>, usage: Use) -> Lease {
        Lease {
            conn,
            pool: self.clone(),
            usage,
            discard: AtomicBool::new(false),
            begin: Mutex::new(None),
        }
    }

    fn exhausted_error(&self) -> DbError {
        let pool = &self.settings.pool;
        DbError::new(
            ErrorKind::PoolTimeout,
            format!(
                "no Postgres connection became free: all {} connection(s) of the pool (pool.max) \
                 stayed in use for {} ms (pool.acquireTimeoutMs); raise pool.max or \
                 pool.acquireTimeoutMs, or keep transactions shorter",
                pool.max,
                pool.acquire_timeout.map(|t| t.as_millis()).unwrap_or(0)
            ),
        )
        .with_code("ETIMEDOUT")
    }

    /// Closes connections idle for `idleTimeoutMs` while more than `min` are open
    /// (`idleTimeoutMs: 0` keeps them, as pg-pool does).
    fn start_reaper(inner: &Arc<Self>) {
        let idle = inner.settings.pool.idle_timeout;
        if idle.is_zero() {
            return;
        }
        let period = (idle / 2).clamp(Duration::from_millis(20), Duration::from_secs(1));
        let weak: Weak<Self> = Arc::downgrade(inner);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(period).await;
                let Some(inner) = weak.upgrade() else { return };
                let mut state = inner.lock();
                if state.closed {
                    return;
                }
                let min = inner.settings.pool.min;
                let now = Instant::now();
                let mut open = state.conns.len();
                state.conns.retain(|c| {
                    let idle_for =
                        now.duration_since(*c.last_used.lock().unwrap_or_else(|p| p.into_inner()));
                    let reap = open > min
                        && !c.exclusive.load(Ordering::Acquire)
                        && c.in_flight.load(Ordering::Acquire) == 0
                        && idle_for >= idle;
                    if reap {
                        open -= 1;
                    }
                    !reap && !c.is_broken()
                });
            }
        });
    }
}

/// A connection being opened, counted in `PoolState::opening` for as long as this lives.
struct Opening<'a>(&'a PoolInner);

impl Drop for Opening<'_> {
    fn drop(&mut self) {
        self.0.lock().opening -= 1;
        self.0.changed.notify_waiters();
    }
}

fn mark(conn: &PgConnection, usage: Use) {
    match usage {
        Use::Shared => {
            conn.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        Use::Exclusive => conn.exclusive.store(true, Ordering::Release),
    }
}

/// The most recently used idle connection, so the others go idle long enough to be reaped.
fn idle(state: &PoolState) -> Option<Arc<PgConnection>> {
    state
        .conns
        .iter()
        .filter(|c| {
            !c.exclusive.load(Ordering::Acquire) && c.in_flight.load(Ordering::Acquire) == 0
        })
        .max_by_key(|c| *c.last_used.lock().unwrap_or_else(|p| p.into_inner()))
        .cloned()
}

fn choose(state: &PoolState, usage: Use, max: usize) -> Choice {
    if let Some(conn) = idle(state) {
        return Choice::Take(conn);
    }
    let room = state.conns.len() + state.opening < max;
    let free = state
        .conns
        .iter()
        .filter(|c| !c.exclusive.load(Ordering::Acquire));
    let least_busy = free
        .clone()
        .min_by_key(|c| c.in_flight.load(Ordering::Acquire))
        .cloned();
    match (usage, least_busy) {
        (_, None) if room => Choice::Open,
        (_, None) => Choice::Wait,
        (Use::Exclusive, Some(_)) if room => Choice::Open,
        (Use::Shared, Some(_)) if room && free.count() + state.opening < SPREAD => Choice::Open,
        (_, Some(conn)) => Choice::Take(conn),
    }
}

fn connect_timeout_error(address: &str, limit: Duration) -> DbError {
    DbError::new(
        ErrorKind::Connection,
        format!(
            "could not connect to Postgres at {address} within {} ms (connectTimeoutMs, or the \
             URL's connect_timeout): the TCP connection, TLS handshake and login did not complete \
             in time; check that the host and port are those of a Postgres server",
            limit.as_millis()
        ),
    )
    .with_code("ETIMEDOUT")
}

fn closed_error() -> DbError {
    DbError::new(
        ErrorKind::Closed,
        "this Postgres driver has been closed; call YaraOrm.init again",
    )
}

impl Lease {
    /// Runs a statement on the held connection; after `begin`, BEGIN is sent in the same
    /// pipeline, ahead of it, and its error (if any) is the statement's.
    pub async fn run(&self, kind: StatementKind, sql: &str, params: &[Value]) -> DbResult<Outcome> {
        let begin = self.take_begin();
        if let Some(mode) = begin {
            // A shared connection taken for a transaction may still have statements that took
            // it before and have not sent everything yet (one waiting for its Parse to be
            // answered): sent after BEGIN, they would run inside this transaction and vanish
            // with its rollback although their callers were told they succeeded.
            self.drained().await;
            // `join!` polls in order: BEGIN's message is queued before the statement's (and
            // before the Close messages of statements retired behind PgBouncer).
            let (began, outcome) = futures_util::join!(self.conn.begin(&mode), async {
                self.conn.close_retired();
                self.run_now(kind, sql, params).await
            });
            began?;
            return outcome;
        }
        self.run_now(kind, sql, params).await
    }

    /// `run` for the statement that ends the transaction, `end` sent right behind it
    /// (`PgConnection::run_ending`); a pending BEGIN still goes out ahead of its Parse.
    async fn run_ending(
        &self,
        kind: StatementKind,
        sql: &str,
        params: &[Value],
        end: &str,
    ) -> Ending {
        let bigints = match kind {
            StatementKind::Query { bigints } => Some(bigints),
            StatementKind::Execute => None,
        };
        let Some(mode) = self.take_begin() else {
            return self.conn.run_ending(sql, params, bigints, end).await;
        };
        self.drained().await;
        let (began, ending) = futures_util::join!(self.conn.begin(&mode), async {
            self.conn.close_retired();
            self.conn.run_ending(sql, params, bigints, end).await
        });
        match began {
            Ok(()) => ending,
            // What ran after a BEGIN that failed ran outside any transaction.
            Err(e) => {
                self.discard();
                Ending::Refused(e)
            }
        }
    }

    /// `PgPool::copy_insert` inside this lease's transaction (a pending BEGIN goes out first, in
    /// the same pipeline).
    pub async fn copy_insert(&self, request: &CopyInsert) -> DbResult<CopyOutcome> {
        if let Some(mode) = self.take_begin() {
            self.drained().await;
            let (began, outcome) = futures_util::join!(self.conn.begin(&mode), async {
                self.conn.close_retired();
                copy_insert(&self.conn, request).await
            });
            began?;
            return outcome;
        }
        copy_insert(&self.conn, request).await
    }

    /// Opens a transaction without a round trip of its own: BEGIN waits for the next statement
    /// (`run`) and travels with it. A transaction that runs no statement sends nothing.
    pub fn begin(&self) {
        self.begin_with(TransactionMode::default());
    }

    /// `begin` with an isolation level and access mode: still one BEGIN statement.
    pub fn begin_with(&self, mode: TransactionMode) {
        *self.begin.lock().unwrap_or_else(|p| p.into_inner()) = Some(mode);
    }

    fn take_begin(&self) -> Option<TransactionMode> {
        self.begin.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// One statement outside any transaction. Behind PgBouncer (`pgbouncer`) it gets a
    /// transaction of its own, so that one server connection prepares it, runs it and drops it,
    /// in two round trips: BEGIN with its Parse, then its Bind and Execute with
    /// `DEALLOCATE ALL; COMMIT` right behind them (PgBouncer keeps the server connection for this
    /// client until COMMIT).
    pub async fn run_alone(
        &self,
        kind: StatementKind,
        sql: &str,
        params: &[Value],
    ) -> DbResult<Outcome> {
        if !self.pool.settings.pgbouncer {
            return self.run(kind, sql, params).await;
        }
        self.begin();
        let ending = self
            .run_ending(kind, sql, params, DEALLOCATE_AND_COMMIT)
            .await;
        if self.conn.looked_up_types() {
            // The client's own type lookup statements went with DEALLOCATE ALL: it goes too.
            self.discard();
        }
        let (outcome, ended) = match ending {
            Ending::Ran { outcome, ended } => (outcome, ended),
            // Refused before its Bind: the transaction is still open.
            Ending::Refused(e) => {
                if self.end(Control::Rollback).await.is_err() {
                    self.discard();
                }
                return Err(e);
            }
        };
        match (outcome, ended) {
            (Ok(outcome), Ok(())) => Ok(outcome),
            // COMMIT failed (a deferred constraint): the transaction ended, rolled back.
            (Ok(_), Err(e)) => {
                self.discard();
                Err(e)
            }
            // Failed on this side after the server ran it (a cell that could not be decoded):
            // committed, as the same statement without PgBouncer would be.
            (Err(e), Ok(())) => Err(e),
            // The statement failed: its transaction refused DEALLOCATE, so COMMIT never ran and
            // this client still holds the server connection; one more round trip ends it.
            (Err(e), Err(_)) => {
                if self
                    .conn
                    .end_dropping_statements(Control::Rollback)
                    .await
                    .is_err()
                {
                    self.discard();
                }
                Err(e)
            }
        }
    }

    /// COMMIT or ROLLBACK (simple protocol, one round trip); nothing at all when BEGIN is still
    /// waiting for a first statement, as no transaction was opened on the server.
    pub async fn end(&self, what: Control) -> DbResult<()> {
        if what != Control::Begin && self.take_begin().is_some() {
            return Ok(());
        }
        if self.pool.settings.pgbouncer {
            // Their Close messages go out before COMMIT, on this same server connection.
            self.conn.forget_statements();
            if self.conn.looked_up_types() && what != Control::Begin {
                // The client's own type lookup statements cannot be closed: the server
                // connection drops them with DEALLOCATE ALL, and this client goes.
                self.discard();
                return self.conn.end_dropping_statements(what).await;
            }
        }
        self.conn.control(what).await
    }

    async fn run_now(&self, kind: StatementKind, sql: &str, params: &[Value]) -> DbResult<Outcome> {
        match kind {
            StatementKind::Query { bigints } => self
                .conn
                .query(sql, params, bigints)
                .await
                .map(Outcome::Rows),
            StatementKind::Execute => self.conn.execute(sql, params).await.map(Outcome::Count),
        }
    }

    /// Resolves once no shared statement is in flight on this connection any more (it is held
    /// exclusively, so none can join).
    pub async fn drained(&self) {
        loop {
            let notified = self.pool.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.conn.in_flight.load(Ordering::Acquire) == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Whether a statement failed since the last one that succeeded: the transaction on this
    /// connection is aborted and COMMIT will roll it back.
    pub fn is_aborted(&self) -> bool {
        self.conn.is_aborted()
    }

    /// Closes the connection instead of returning it (its transaction state is unknown).
    pub fn discard(&self) {
        self.discard.store(true, Ordering::Release);
    }

    pub fn cancel_token(&self) -> tokio_postgres::CancelToken {
        self.conn.cancel_token()
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        *self
            .conn
            .last_used
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Instant::now();
        match self.usage {
            Use::Shared => {
                self.conn.in_flight.fetch_sub(1, Ordering::AcqRel);
            }
            Use::Exclusive => self.conn.exclusive.store(false, Ordering::Release),
        }
        if self.discard.load(Ordering::Acquire) || self.conn.is_broken() {
            let mut state = self.pool.lock();
            state.conns.retain(|c| !Arc::ptr_eq(c, &self.conn));
        }
        self.pool.changed.notify_waiters();
    }
}
