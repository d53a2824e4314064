//! The engine's one tokio runtime: single-threaded, on a dedicated thread, started on first use.
//! Every connection's socket task and every statement runs here; callers on other threads
//! (the Node-API layer on the JavaScript thread) hand it futures through `spawn`. One thread
//! measured the lowest latency on this workload (docs: architecture.md).

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle};

static HANDLE: OnceLock<Handle> = OnceLock::new();

pub fn handle() -> &'static Handle {
    HANDLE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("yara-pg".into())
            .spawn(move || {
                let runtime = Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("the Postgres engine's tokio runtime starts");
                let _ = tx.send(runtime.handle().clone());
                // Drives every spawned task for the life of the process.
                runtime.block_on(std::future::pending::<()>());
            })
            .expect("the Postgres engine's thread starts");
        rx.recv()
            .expect("the Postgres engine's runtime reports its handle")
    })
}

/// Runs `future` on the engine's runtime.
pub fn spawn<F>(future: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    handle().spawn(future)
}
