//! The engine's one tokio runtime: single-threaded, on a dedicated thread, started on first use.
//! Every connection's socket task and every statement runs here; callers on other threads
//! (the Node-API layer on the JavaScript thread) hand it futures through `spawn`. One thread
//! measured the lowest latency on this workload (docs: architecture.md).
//!
//! A statement's first steps run on the caller's thread (`spawn`): its future is polled there
//! until it first waits — a connection taken from the pool, the statement bound and queued on
//! the connection — and so is the connection's socket task that it wakes, which writes the
//! messages to the socket. The engine's thread is only woken by the server's answer. Handing
//! the future over instead costs the engine two wake-ups per statement (one to send, one to
//! read), each a context switch on both threads, and the caller's send waits for the engine to
//! be scheduled. Futures run by `spawn` and `spawn_here` are `Task`s: polled by whichever thread
//! woke them while that thread is inside `spawn`, else by a tokio task on their runtime.

use std::cell::RefCell;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};

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

/// Runs `future` for the engine, starting on the calling thread (see the module's comment): it
/// and the tasks it wakes are polled here until none can make progress without waiting, then
/// the engine's runtime carries on. `future` must not block.
pub fn spawn<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let handle = handle();
    let _context = handle.enter();
    let task = Task::new(Box::pin(future), handle.clone(), false);
    let outermost = INLINE.with(|queue| {
        let mut queue = queue.borrow_mut();
        let outermost = queue.is_none();
        queue.get_or_insert_with(Vec::new);
        outermost
    });
    task.state.store(SCHEDULED, Ordering::Release);
    if !outermost {
        // Already inside `spawn` on this thread: its loop below polls this one too.
        push_inline(task);
        return;
    }
    let mut polled = 0;
    task.run();
    loop {
        let next = INLINE.with(|queue| queue.borrow_mut().as_mut().and_then(Vec::pop));
        let Some(next) = next else { break };
        polled += 1;
        if polled > INLINE_LIMIT {
            next.hand_over();
            continue;
        }
        next.run();
    }
    INLINE.with(|queue| *queue.borrow_mut() = None);
}

/// Runs `future` on the current tokio runtime as a `Task` (a connection's socket task), so that
/// a statement started by `spawn` on another thread can drive it from there.
pub fn spawn_here<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    Task::new(Box::pin(future), Handle::current(), true).wake();
}

/// Polls beyond which one `spawn` hands the remaining work to the runtime: the caller's thread
/// only starts work, it never runs a busy connection's traffic.
const INLINE_LIMIT: usize = 16;

thread_local! {
    /// Tasks woken on this thread while it is inside `spawn`, polled before `spawn` returns.
    static INLINE: RefCell<Option<Vec<Arc<Task>>>> = const { RefCell::new(None) };
}

/// Queues `task` on this thread's `spawn`, if it is inside one; gives it back otherwise.
fn push_inline(task: Arc<Task>) -> Option<Arc<Task>> {
    INLINE.with(|queue| match queue.borrow_mut().as_mut() {
        Some(queue) => {
            queue.push(task);
            None
        }
        None => Some(task),
    })
}

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Not scheduled: a wake-up schedules it.
const IDLE: u8 = 0;
/// Queued to be polled (inline or on the runtime).
const SCHEDULED: u8 = 1;
/// Being polled.
const RUNNING: u8 = 2;
/// Woken while being polled: polled again afterwards.
const NOTIFIED: u8 = 3;
/// Finished (or panicked): wake-ups do nothing.
const DONE: u8 = 4;

/// A future polled once per wake-up, by whichever thread should (see `schedule`).
struct Task {
    future: Mutex<Option<BoxFuture>>,
    state: AtomicU8,
    runtime: Handle,
    /// A socket task: polled by the thread that woke it when that thread is inside `spawn`.
    /// A statement is polled there only once, by the `spawn` that started it: the rows it reads
    /// later are decoded on the engine's thread, not the caller's.
    socket: bool,
}

impl Task {
    fn new(future: BoxFuture, runtime: Handle, socket: bool) -> Arc<Task> {
        Arc::new(Task {
            future: Mutex::new(Some(future)),
            state: AtomicU8::new(IDLE),
            runtime,
            socket,
        })
    }

    /// A socket task: polled next by this thread's `spawn` if it is inside one. Else, and
    /// always for a statement, by the runtime.
    fn schedule(self: Arc<Self>) {
        if !self.socket {
            return self.hand_over();
        }
        if let Some(task) = push_inline(self) {
            task.hand_over();
        }
    }

    /// Polled by a tokio task of its runtime (a fresh one per poll, so each poll gets tokio's
    /// full cooperative budget).
    fn hand_over(self: Arc<Self>) {
        let runtime = self.runtime.clone();
        runtime.spawn(async move { self.run() });
    }

    /// Polls the future once; `state` is SCHEDULED.
    fn run(self: Arc<Self>) {
        self.state.store(RUNNING, Ordering::Release);
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let polled = {
            let mut slot = self.future.lock().unwrap_or_else(|p| p.into_inner());
            let Some(future) = slot.as_mut() else {
                self.state.store(DONE, Ordering::Release);
                return;
            };
            match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
                Ok(Poll::Pending) => Poll::Pending,
                // Done, or panicked: dropped now (a statement's unsettled `Completion` then
                // rejects its promise).
                Ok(Poll::Ready(())) | Err(_) => {
                    *slot = None;
                    Poll::Ready(())
                }
            }
        };
        if polled.is_ready() {
            self.state.store(DONE, Ordering::Release);
            return;
        }
        if self
            .state
            .compare_exchange(RUNNING, IDLE, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // Woken while polled (NOTIFIED): once more.
            self.state.store(SCHEDULED, Ordering::Release);
            self.schedule();
        }
    }
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            let next = match state {
                IDLE => SCHEDULED,
                RUNNING => NOTIFIED,
                _ => return,
            };
            match self
                .state
                .compare_exchange(state, next, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) if next == SCHEDULED => return self.schedule(),
                Ok(_) => return,
                Err(now) => state = now,
            }
        }
    }
}
