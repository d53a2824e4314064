//! Cancelling one statement when its caller gives up (an AbortSignal on the JavaScript side):
//! before it has a connection it just stops waiting; once it runs, cancel requests go to the
//! server, which fails the statement with 57014 as `statement_timeout` would.
//!
//! A cancel request travels on a connection of its own and can reach the server before the
//! statement does (it is then ignored), so `until_done` repeats it until the statement ends;
//! the statement holds its connection exclusively meanwhile, and keeps it until the last
//! request has been answered, so no request can stop a later statement on that connection.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
use tokio_postgres::CancelToken;

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

    /// Runs `statement` (on a connection nothing else uses, which `token` cancels); once the
    /// slot is cancelled, sends cancel requests until the statement ends, and returns only
    /// after the last request was answered.
    pub async fn until_done<T>(
        &self,
        statement: impl Future<Output = T>,
        token: &CancelToken,
        tls: Option<&MakeRustlsConnect>,
    ) -> T {
        tokio::pin!(statement);
        tokio::select! {
            done = &mut statement => return done,
            _ = self.cancelled() => {}
        }
        let mut wait = RESEND_AFTER;
        loop {
            let request = send(token, tls);
            tokio::pin!(request);
            tokio::select! {
                done = &mut statement => {
                    // The request may still reach the server: let it land while the connection
                    // is ours (an idle backend ignores it). The server answers a cancel request
                    // by closing its socket at once; a bound keeps a server that does not from
                    // holding the statement.
                    let _ = tokio::time::timeout(LAND_WITHIN, request).await;
                    return done;
                }
                _ = &mut request => {}
            }
            tokio::select! {
                done = &mut statement => return done,
                _ = tokio::time::sleep(wait) => {}
            }
            wait = (wait * 2).min(RESEND_MAX);
        }
    }
}

/// Sends one cancel request and waits for the server to close its connection; a request that
/// fails changes nothing (the next one may get through).
async fn send(token: &CancelToken, tls: Option<&MakeRustlsConnect>) {
    let _ = match tls {
        Some(tls) => token.cancel_query(tls.clone()).await,
        None => token.cancel_query(tokio_postgres::NoTls).await,
    };
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
