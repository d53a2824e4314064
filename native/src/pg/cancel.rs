//! Cancelling one statement when its caller gives up (an AbortSignal on the JavaScript side):
//! before it has a connection it just stops waiting; once it runs, cancel requests go to the
//! server, which fails the statement with 57014 as `statement_timeout` would.
//!
//! A cancel request stops whatever its backend runs when the request arrives, so the statement
//! holds its connection exclusively (nothing is pipelined behind it), and:
//! - a request can reach the server before the statement does (it is then ignored), so
//!   `until_done` repeats it until the statement ends, and sends none after that;
//! - a request has landed only once the server closed its socket (it signals the backend first,
//!   then exits). tokio-postgres's `cancel_query` returns as soon as the request was written,
//!   so `send` dials itself and waits for that close (`UntilClosed`);
//! - the statement keeps its connection until every request was answered. One that could not be
//!   confirmed within `LAND_WITHIN` (or failed after it may have been written) may still land:
//!   `until_done` says so and the pool closes the connection instead of reusing it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, UnixStream};
use tokio::sync::Notify;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{CancelToken, NoTls};

use super::config::{PgHost, PgSettings};
use super::tls::MakeRustlsConnect;
use crate::error::{DbError, ErrorKind};

/// The first cancel request goes out at once; if the statement still runs this long after the
/// server answered it, another one follows (and so on, a little slower each time).
const RESEND_AFTER: Duration = Duration::from_millis(50);
const RESEND_MAX: Duration = Duration::from_millis(800);
/// How long a statement that ended waits for its last cancel request to be answered.
const LAND_WITHIN: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct CancelSlot {
    cancelled: AtomicBool,
    notify: Notify,
}

/// Where the cancel requests of one connection go.
pub struct CancelTarget<'a> {
    pub token: CancelToken,
    pub settings: &'a PgSettings,
    pub tls: Option<&'a MakeRustlsConnect>,
}

/// How a cancellable statement ended.
pub struct Finished<T> {
    pub result: T,
    /// Every cancel request sent was answered by the server (or never reached it): none can
    /// land later. When false, the connection must not run another statement.
    pub settled: bool,
}

impl CancelSlot {
    /// Marks the statement cancelled and wakes whatever waits for it (`cancelled`).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
        self.notify.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Resolves once `cancel` has been called.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }

    /// Runs `statement` (on a connection nothing else uses, which `target` cancels); once the
    /// slot is cancelled, sends cancel requests until the statement ends, and returns only
    /// after the last request was answered (or gave up waiting for that: `settled` false).
    pub async fn until_done<T>(
        &self,
        statement: impl Future<Output = T>,
        target: &CancelTarget<'_>,
    ) -> Finished<T> {
        tokio::pin!(statement);
        tokio::select! {
            result = &mut statement => return Finished { result, settled: true },
            _ = self.cancelled() => {}
        }
        let mut settled = true;
        let mut wait = RESEND_AFTER;
        loop {
            let request = send(target);
            tokio::pin!(request);
            tokio::select! {
                result = &mut statement => {
                    // The request may still reach the server: let it land while the connection
                    // is ours (an idle backend ignores it). The server answers a cancel request
                    // by closing its socket at once; a bound keeps a server that does not from
                    // holding the statement (the connection is then closed, not reused).
                    let answered = tokio::time::timeout(LAND_WITHIN, request)
                        .await
                        .unwrap_or(false);
                    return Finished { result, settled: settled && answered };
                }
                answered = &mut request => settled &= answered,
            }
            tokio::select! {
                result = &mut statement => return Finished { result, settled },
                _ = tokio::time::sleep(wait) => {}
            }
            wait = (wait * 2).min(RESEND_MAX);
        }
    }
}

/// Sends one cancel request and waits for the server to close its connection. True when it was
/// answered, or never reached the server (the connect failed); false when it may still land.
async fn send(target: &CancelTarget<'_>) -> bool {
    let settings = target.settings;
    let timeout = settings.connect_timeout.unwrap_or(LAND_WITHIN);
    match &settings.host {
        PgHost::Tcp(host) => {
            let dial = TcpStream::connect((host.as_str(), settings.port));
            match tokio::time::timeout(timeout, dial).await {
                Ok(Ok(stream)) => request(stream, target, host).await,
                _ => true,
            }
        }
        PgHost::Socket(dir) => {
            let dial = UnixStream::connect(format!("{dir}/.s.PGSQL.{}", settings.port));
            match tokio::time::timeout(timeout, dial).await {
                // Postgres has no TLS over Unix sockets: the host name plays no part.
                Ok(Ok(stream)) => request(stream, target, "").await,
                _ => true,
            }
        }
    }
}

async fn request<S>(stream: S, target: &CancelTarget<'_>, host: &str) -> bool
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let stream = UntilClosed {
        inner: stream,
        shut: false,
    };
    let sent = match target.tls {
        Some(tls) => {
            let mut tls = tls.clone();
            match MakeTlsConnect::<UntilClosed<S>>::make_tls_connect(&mut tls, host) {
                Ok(connect) => target.token.cancel_query_raw(stream, connect).await,
                // Refused before anything was written.
                Err(_) => return true,
            }
        }
        None => target.token.cancel_query_raw(stream, NoTls).await,
    };
    sent.is_ok()
}

/// A cancel request's socket whose shutdown (the last step of tokio-postgres's
/// `cancel_query_raw`) also waits for the server to close its end: the postmaster signals the
/// backend before it closes, so a closed socket means the request has landed.
struct UntilClosed<S> {
    inner: S,
    shut: bool,
}

impl<S: AsyncRead + Unpin> AsyncRead for UntilClosed<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for UntilClosed<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.shut {
            ready!(Pin::new(&mut self.inner).poll_shutdown(cx))?;
            self.shut = true;
        }
        let mut scratch = [0u8; 64];
        loop {
            let mut buf = ReadBuf::new(&mut scratch);
            match ready!(Pin::new(&mut self.inner).poll_read(cx, &mut buf)) {
                Ok(()) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Ok(()) => {}
                // A reset is the server closing too (with our TLS close_notify unread).
                Err(_) => return Poll::Ready(Ok(())),
            }
        }
    }
}

/// The error of a statement cancelled before it reached the server (the server's own words
/// and SQLSTATE when it was running).
pub fn cancelled_error() -> DbError {
    DbError::new(
        ErrorKind::Cancelled,
        "canceling statement due to user request",
    )
    .with_code("57014")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn cancel_before_start_stops_the_statement() {
        let slot = CancelSlot::default();
        slot.cancel();
        // Resolves at once: the statement stops waiting for a connection.
        tokio::time::timeout(std::time::Duration::from_secs(1), slot.cancelled())
            .await
            .expect("already cancelled");
    }

    #[tokio::test]
    async fn cancelled_wakes_a_waiter() {
        let slot = std::sync::Arc::new(CancelSlot::default());
        let waiter = {
            let slot = slot.clone();
            tokio::spawn(async move { slot.cancelled().await })
        };
        tokio::task::yield_now().await;
        slot.cancel();
        tokio::time::timeout(std::time::Duration::from_secs(1), waiter)
            .await
            .expect("woken")
            .unwrap();
    }
}
