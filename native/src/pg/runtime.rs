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
//! be scheduled. Futures run by `spawn` and `spawn_socket` are `Task`s: polled by whichever thread
//! woke them while that thread is inside `spawn`, else by a tokio task on their runtime.
//!
//! Connections opened from JavaScript go one step further (`event_loop.rs`): their sockets are
//! not registered with this runtime at all. The JavaScript thread's event loop watches them and,
//! when one is ready, runs its socket task and the statements it answers there (`drive`): a
//! round trip then wakes that thread once, as `pg` does, and not this one. Their socket tasks
//! never run here: where another would be handed to the runtime, they are scheduled on their
//! event loop (`spawn_socket`).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, TryLockError};
use std::task::{Context, Poll, Wake, Waker};

use tokio::runtime::{Builder, Handle};

use super::event_loop::EventLoop;

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

/// Gives this thread its queue of tasks to poll inline, if it has none; true when it had none
/// (the caller is the outermost `spawn` or `drive`, which drains the queue before returning).
fn open_inline_queue() -> bool {
    INLINE.with(|queue| {
        let mut queue = queue.borrow_mut();
        let outermost = queue.is_none();
        queue.get_or_insert_with(Vec::new);
        outermost
    })
}

/// Runs `future` for the engine, starting on the calling thread (see the module's comment): it
/// and the socket tasks it wakes are polled here until none can make progress without
/// waiting, then the engine's runtime carries on. `future` must not block.
pub fn spawn<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let handle = handle();
    let _context = handle.enter();
    let task = Task::new(Box::pin(future), handle.clone(), None);
    let outermost = open_inline_queue();
    if !outermost {
        // Already inside `spawn` on this thread: its loop below polls this one too.
        task.queued.store(true, Ordering::Release);
        push_inline(task);
        return;
    }
    task.poll_here();
    drain(INLINE_LIMIT);
}

/// Runs `wake` (which wakes tasks: the ones a socket's readiness concerns) on the calling
/// thread, the JavaScript thread's event loop seeing that socket ready (`pg::event_loop`):
/// every `Task` it wakes — socket tasks and statements alike — is polled here until none can
/// make progress without waiting, so a reply the JavaScript thread reads is also decoded and
/// settled there, and the engine's thread is not woken at all.
pub fn drive(wake: impl FnOnce()) {
    let _context = handle().enter();
    let outermost = open_inline_queue();
    if !outermost {
        return wake();
    }
    let everything = EVERYTHING.with(|flag| flag.replace(true));
    wake();
    drain(DRIVE_LIMIT);
    EVERYTHING.with(|flag| flag.set(everything));
}

/// Polls the tasks queued on this thread (see `spawn`, `drive`), at most `limit` of them: the
/// rest go to the runtime.
fn drain(limit: usize) {
    let mut polled = 0;
    loop {
        let next = INLINE.with(|queue| queue.borrow_mut().as_mut().and_then(Vec::pop));
        let Some(next) = next else { break };
        next.queued.store(false, Ordering::Release);
        polled += 1;
        if polled > limit {
            next.hand_over();
        } else {
            next.poll_here();
        }
    }
    INLINE.with(|queue| *queue.borrow_mut() = None);
}

/// Runs a connection's socket task on the current tokio runtime as a `Task`, so that a statement
/// started by `spawn` on another thread can drive it from there — while `in_flight` (the
/// connection's statements, the starting one included) is at most one. Pipelined behind others,
/// a statement leaves the socket to the engine's thread, which writes every statement queued by
/// the time it runs at once: a burst of statements costs the caller's thread no write each.
///
/// With a `home` event loop (`event_loop.rs`), the socket task never runs on the engine's thread:
/// where it would be handed over, it is scheduled on that loop's thread instead, which then
/// writes every statement queued by then at once.
pub fn spawn_socket<F>(future: F, in_flight: Arc<AtomicUsize>, home: Option<Arc<dyn EventLoop>>)
where
    F: Future<Output = ()> + Send + 'static,
{
    let task = Task::new(Box::pin(future), Handle::current(), Some(in_flight));
    if let Some(home) = home {
        let _ = task.home.set(home);
    }
    task.wake();
}

/// Polls beyond which one `spawn` hands the remaining work to the runtime: the caller's thread
/// only starts work, it never runs a busy connection's traffic.
const INLINE_LIMIT: usize = 16;

/// Polls beyond which one `drive` hands the remaining work to the runtime: enough for a burst
/// of pipelined statements answered at once, a bound on a task that keeps waking itself.
const DRIVE_LIMIT: usize = 1024;

thread_local! {
    /// Tasks woken on this thread while it is inside `spawn`, polled before `spawn` returns.
    static INLINE: RefCell<Option<Vec<Arc<Task>>>> = const { RefCell::new(None) };
    /// Inside `drive`: every task woken here is polled here, not only socket tasks.
    static EVERYTHING: Cell<bool> = const { Cell::new(false) };
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

/// A future polled by whichever thread should (see `wake`): the one inside `spawn` that woke
/// it, or else a tokio task of its runtime, started the first time the runtime is needed (a
/// statement answered at once never costs one).
struct Task {
    /// `None` once finished (or panicked). Whoever holds the lock polls; a wake-up that finds
    /// it held leaves `notified` set, and the holder hands the task to the runtime when done.
    future: Mutex<Option<BoxFuture>>,
    notified: AtomicBool,
    /// Waiting in a `spawn`'s queue.
    queued: AtomicBool,
    runtime: Handle,
    /// The tokio task that polls on the runtime: started, and its waker once it ran.
    runner: AtomicBool,
    runner_waker: Mutex<Option<Waker>>,
    /// A socket task (`spawn_socket`), with its connection's statement count: polled by the
    /// thread that woke it when that thread is inside `spawn` and the count is at most one. A
    /// statement is polled there only once, by the `spawn` that started it: the rows it reads
    /// later are decoded on the engine's thread, not the caller's.
    socket: Option<Arc<AtomicUsize>>,
    /// A socket task's event loop (`spawn_socket`), set once before its first wake-up.
    home: OnceLock<Arc<dyn EventLoop>>,
}

impl Task {
    fn new(future: BoxFuture, runtime: Handle, socket: Option<Arc<AtomicUsize>>) -> Arc<Task> {
        Arc::new(Task {
            future: Mutex::new(Some(future)),
            notified: AtomicBool::new(false),
            queued: AtomicBool::new(false),
            runtime,
            runner: AtomicBool::new(false),
            runner_waker: Mutex::new(None),
            socket,
            home: OnceLock::new(),
        })
    }

    /// Polls the future once on this thread, unless another thread is polling it. Returns
    /// whether it is finished.
    fn poll_here(self: &Arc<Self>) -> bool {
        // Set before trying, so that a thread polling right now and finishing meanwhile sees
        // it after it lets go of the lock, and has the future polled once more.
        self.notified.store(true, Ordering::Release);
        let mut slot = match self.future.try_lock() {
            Ok(slot) => slot,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return false,
        };
        self.notified.store(false, Ordering::Release);
        let Some(future) = slot.as_mut() else {
            return true;
        };
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let done = match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
            Ok(Poll::Pending) => false,
            // Done, or panicked: dropped now (a statement's unsettled `Completion` then
            // rejects its promise).
            Ok(Poll::Ready(())) | Err(_) => {
                *slot = None;
                true
            }
        };
        drop(slot);
        if !done && self.notified.swap(false, Ordering::AcqRel) {
            self.hand_over();
        }
        done
    }

    /// Has the runtime poll the future: wakes its tokio task, starting it the first time. A
    /// socket task with an event loop is scheduled there instead (`spawn_socket`).
    fn hand_over(self: &Arc<Self>) {
        if let Some(home) = self.home.get() {
            if home.schedule(Waker::from(self.clone())) {
                return;
            }
        }
        if !self.runner.swap(true, Ordering::AcqRel) {
            let task = self.clone();
            self.runtime.spawn(std::future::poll_fn(move |cx| {
                {
                    let mut waker = task.runner_waker.lock().unwrap_or_else(|p| p.into_inner());
                    if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                        *waker = Some(cx.waker().clone());
                    }
                }
                if task.poll_here() {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }));
            return;
        }
        // Started: its first poll polls the future anyway when it has no waker yet.
        if let Some(waker) = self
            .runner_waker
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            waker.wake_by_ref();
        }
    }
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    /// A socket task woken by a thread inside `spawn`, its connection not pipelining, is polled
    /// there, and so is any task woken inside `drive`; a socket task with an event loop else on
    /// that loop's thread (`spawn_socket`); anything else by the runtime.
    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.load(Ordering::Acquire) {
            return; // already waiting in a `spawn`'s queue
        }
        let here = EVERYTHING.with(Cell::get)
            || self
                .socket
                .as_ref()
                .is_some_and(|in_flight| in_flight.load(Ordering::Acquire) <= 1);
        if here && !self.queued.swap(true, Ordering::AcqRel) {
            match push_inline(self.clone()) {
                None => return,
                Some(_) => self.queued.store(false, Ordering::Release),
            }
        }
        self.hand_over();
    }
}
