//! Cancelling one statement when its caller gives up (an AbortSignal on the JavaScript side):
//! before it has a connection it just stops waiting; once it runs, a cancel request goes to the
//! server, which fails the statement with 57014 as `statement_timeout` would.

use std::sync::Mutex;

use tokio::sync::Notify;
use tokio_postgres::CancelToken;

use crate::error::{DbError, ErrorKind};

#[derive(Default)]
pub struct CancelSlot {
    state: Mutex<State>,
    notify: Notify,
}

#[derive(Default)]
enum State {
    #[default]
    Waiting,
    Running(CancelToken),
    Cancelled,
}

impl CancelSlot {
    /// The statement starts on the connection `token` cancels; false if it was cancelled first.
    pub fn start(&self, token: CancelToken) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if matches!(*state, State::Cancelled) {
            return false;
        }
        *state = State::Running(token);
        true
    }

    /// Marks the statement cancelled; returns the token to send if it is already running.
    pub fn cancel(&self) -> Option<CancelToken> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let previous = std::mem::replace(&mut *state, State::Cancelled);
        self.notify.notify_waiters();
        match previous {
            State::Running(token) => Some(token),
            _ => None,
        }
    }

    /// Resolves once `cancel` has been called.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if matches!(
                *self.state.lock().unwrap_or_else(|p| p.into_inner()),
                State::Cancelled
            ) {
                return;
            }
            notified.await;
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
        assert!(slot.cancel().is_none());
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
