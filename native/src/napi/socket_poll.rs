//! The JavaScript thread's libuv loop as the `EventLoop` of the Postgres connections it opens
//! (`pg::event_loop`): a `uv_poll` handle per socket, started when a task waits for the socket
//! and stopped when none does. When the socket is ready, the poll callback wakes those tasks
//! inside `runtime::drive`, so the connection's socket task and the statements it answers run
//! here, on the thread that the reply woke, and settle their promises without waking the
//! engine's thread (one wake-up per round trip, as the `pg` driver) — right there, in the same
//! callback (`completion::settle_here`), not on a later turn of the loop.
//!
//! libuv handles are only touched on the loop's thread. Another thread (the engine's, polling a
//! pipelined connection or dropping one) leaves its request in the inbox and wakes the loop with
//! a `uv_async` handle. At the environment's teardown every socket is let go: its waiting tasks
//! are woken to find it dead (`WatchState::dead`), and their connections fail.

use std::cell::RefCell;
use std::ffi::c_void;
use std::ptr;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::Waker;
use std::thread::{self, ThreadId};

use super::completion;
use super::env::{Env, JsResult};
use super::sys::*;
use crate::pg::{runtime, EventLoop, SocketWatch};

pub struct UvLoop {
    event_loop: *mut uv_loop_t,
    /// The environment of `thread`, for settling promises in the loop's callbacks.
    env: napi_env,
    thread: ThreadId,
    /// The `uv_async_t` that wakes the loop for the inbox; valid until `teardown`.
    wake: *mut uv_handle_t,
    inbox: Mutex<Inbox>,
}

// SAFETY: the raw libuv pointers are only used on `thread` (checked against the current thread
// before each use), except `wake`, which `uv_async_send` allows from any thread and which is
// only sent to while `Inbox::dead` is false, under the lock `teardown` takes to set it.
unsafe impl Send for UvLoop {}
// SAFETY: as for `Send`; the rest is behind the `inbox` mutex.
unsafe impl Sync for UvLoop {}

#[derive(Default)]
struct Inbox {
    arm: Vec<Arc<SocketWatch>>,
    release: Vec<Arc<SocketWatch>>,
    /// Wakers to wake here, inside `runtime::drive` (`EventLoop::schedule`).
    scheduled: Vec<Waker>,
    /// The environment has ended: no libuv call any more.
    dead: bool,
    /// Every socket with a poll handle, for `teardown`.
    watched: Vec<Weak<SocketWatch>>,
}

thread_local! {
    /// This thread's loop, once a Postgres pool was opened on it.
    static LOOP: RefCell<Option<Arc<UvLoop>>> = const { RefCell::new(None) };
}

/// The event loop of `env`'s thread, set up the first time.
pub fn event_loop(env: Env) -> JsResult<Arc<UvLoop>> {
    if let Some(found) = LOOP.with(|l| l.borrow().clone()) {
        return Ok(found);
    }
    let mut event_loop = ptr::null_mut();
    // SAFETY: the `Env` invariant (the current call's environment, a live out-pointer).
    env.check(unsafe { napi_get_uv_event_loop(env.raw(), &mut event_loop) })?;
    // SAFETY: `uv_handle_size` only reads the type; the allocation is freed in `wake_closed`.
    let wake = unsafe { libc::calloc(1, uv_handle_size(UV_ASYNC)) } as *mut uv_handle_t;
    assert!(!wake.is_null(), "out of memory for a libuv handle");
    let uv = Arc::new(UvLoop {
        event_loop,
        env: env.raw(),
        thread: thread::current().id(),
        wake,
        inbox: Mutex::default(),
    });
    // SAFETY: on the loop's thread, with a zeroed handle of the right size. Its `data` holds one
    // reference to the loop, released in `wake_closed`.
    unsafe {
        if uv_async_init(event_loop, wake, Some(on_wake)) != 0 {
            libc::free(wake);
            panic!("libuv refused an async handle");
        }
        *(wake as *mut *const UvLoop) = Arc::into_raw(uv.clone());
        uv_unref(wake);
    }
    // The hook's own reference, released in `teardown`.
    let hook = Arc::into_raw(uv.clone()) as *mut c_void;
    // SAFETY: the `Env` invariant; `teardown` runs once, at the environment's teardown.
    env.check(unsafe { napi_add_env_cleanup_hook(env.raw(), Some(teardown), hook) })?;
    LOOP.with(|l| *l.borrow_mut() = Some(uv.clone()));
    Ok(uv)
}

impl UvLoop {
    fn inbox(&self) -> MutexGuard<'_, Inbox> {
        self.inbox.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn here(&self) -> bool {
        thread::current().id() == self.thread
    }

    /// On the loop's thread: the poll handle of `watch` started for what its tasks wait for,
    /// or stopped.
    fn arm_here(&self, watch: &Arc<SocketWatch>) {
        let mut state = watch.lock();
        if state.dead {
            return;
        }
        let wanted = wanted(&state.read, &state.write);
        if state.handle == 0 {
            if wanted == 0 {
                return;
            }
            // SAFETY: as in `event_loop`; freed in `poll_closed`.
            let handle = unsafe { libc::calloc(1, uv_handle_size(UV_POLL)) } as *mut uv_handle_t;
            assert!(!handle.is_null(), "out of memory for a libuv handle");
            // SAFETY: on the loop's thread, a zeroed handle of the right size, the socket's open
            // descriptor.
            if unsafe { uv_poll_init(self.event_loop, handle, watch.fd()) } != 0 {
                // SAFETY: never initialized, so libuv does not know it.
                unsafe { libc::free(handle) };
                state.dead = true;
                let woken = (state.read.take(), state.write.take());
                drop(state);
                wake_all(woken);
                return;
            }
            // SAFETY: the handle's `data` holds one reference to the watch, released in
            // `poll_closed`; unref'd: pending promises keep the process alive, not sockets.
            unsafe {
                *(handle as *mut *const SocketWatch) = Arc::into_raw(watch.clone());
                uv_unref(handle);
            }
            state.handle = handle as usize;
            self.inbox().watched.push(Arc::downgrade(watch));
        }
        if wanted != state.armed as i32 {
            restart(state.handle as *mut uv_handle_t, wanted);
            state.armed = wanted as u32;
        }
    }

    /// On the loop's thread: stops watching `watch` and closes its descriptor.
    fn release_here(&self, watch: &Arc<SocketWatch>) {
        let handle = {
            let mut state = watch.lock();
            state.dead = true;
            state.read = None;
            state.write = None;
            std::mem::take(&mut state.handle)
        };
        if handle != 0 {
            // SAFETY: a live poll handle of this loop; `uv_close` stops it at once (so the
            // descriptor may be closed right after) and calls `poll_closed` later.
            unsafe { uv_close(handle as *mut uv_handle_t, Some(poll_closed)) };
        }
        self.inbox()
            .watched
            .retain(|w| w.strong_count() > 0 && !ptr::eq(w.as_ptr(), Arc::as_ptr(watch)));
        close_fd(watch);
    }
}

impl EventLoop for UvLoop {
    fn arm(&self, watch: &Arc<SocketWatch>) {
        {
            let state = watch.lock();
            if !state.dead && wanted(&state.read, &state.write) & !(state.armed as i32) == 0 {
                return; // already watched for (level-triggered: it fires while ready)
            }
        }
        let mut inbox = self.inbox();
        if inbox.dead {
            drop(inbox);
            let mut state = watch.lock();
            state.dead = true;
            let woken = (state.read.take(), state.write.take());
            drop(state);
            return wake_all(woken);
        }
        if self.here() {
            drop(inbox);
            return self.arm_here(watch);
        }
        inbox.arm.push(watch.clone());
        // SAFETY: `wake` is live while `dead` is false (checked under this lock).
        unsafe { uv_async_send(self.wake) };
    }

    fn release(&self, watch: Arc<SocketWatch>) {
        let mut inbox = self.inbox();
        if inbox.dead {
            // `teardown` closed every poll handle already.
            drop(inbox);
            return close_fd(&watch);
        }
        if self.here() {
            drop(inbox);
            return self.release_here(&watch);
        }
        inbox.release.push(watch);
        // SAFETY: as in `arm`.
        unsafe { uv_async_send(self.wake) };
    }

    fn schedule(&self, waker: Waker) -> bool {
        let mut inbox = self.inbox();
        if inbox.dead {
            return false;
        }
        inbox.scheduled.push(waker);
        if inbox.scheduled.len() == 1 {
            // SAFETY: as in `arm` (on this thread too: the callback runs on a later turn).
            unsafe { uv_async_send(self.wake) };
        }
        true
    }
}

fn wanted(read: &Option<Waker>, write: &Option<Waker>) -> i32 {
    (if read.is_some() { UV_READABLE } else { 0 }) | (if write.is_some() { UV_WRITABLE } else { 0 })
}

fn restart(handle: *mut uv_handle_t, events: i32) {
    // SAFETY: a live, initialized poll handle, on its loop's thread (every caller is).
    unsafe {
        if events == 0 {
            uv_poll_stop(handle);
        } else {
            uv_poll_start(handle, events, Some(on_poll));
        }
    }
}

fn wake_all((read, write): (Option<Waker>, Option<Waker>)) {
    if let Some(w) = read {
        w.wake();
    }
    if let Some(w) = write {
        w.wake();
    }
}

fn close_fd(watch: &SocketWatch) {
    // SAFETY: the stream's descriptor, closed once: by the one `release` of its stream.
    unsafe { libc::close(watch.fd()) };
}

/// The socket is ready: wakes the tasks waiting for it, runs them here (`runtime::drive`), and
/// settles the promises they finished.
///
/// # Safety
/// Called by libuv on the loop's thread with a poll handle whose `data` is a live
/// `Arc<SocketWatch>` reference (`arm_here`).
unsafe extern "C" fn on_poll(handle: *mut uv_handle_t, status: i32, events: i32) {
    // SAFETY: this function's contract.
    let watch = unsafe { &*(*(handle as *mut *const SocketWatch)) };
    let Some(uv) = LOOP.with(|l| l.borrow().clone()) else {
        return; // torn down: every poll handle is closed already
    };
    let _ = std::panic::catch_unwind(|| {
        let woken = {
            let mut state = watch.lock();
            let read = status < 0 || events & UV_READABLE != 0;
            let write = status < 0 || events & UV_WRITABLE != 0;
            if read {
                state.drained = false;
            }
            let woken = (
                if read { state.read.take() } else { None },
                if write { state.write.take() } else { None },
            );
            // The reader woken now reads until it would block and waits again: reading stays
            // watched, so a round trip costs no epoll_ctl. Readable with no reader (it went away
            // meanwhile), or an error: stop.
            let mut wanted = wanted(&state.read, &state.write);
            if woken.0.is_some() && status >= 0 {
                wanted |= UV_READABLE;
            }
            if wanted != state.armed as i32 {
                restart(handle, wanted);
                state.armed = wanted as u32;
            }
            woken
        };
        // SAFETY: the loop's own environment, on its thread, live until `teardown` (which
        // closes every poll handle, so no `on_poll` follows it).
        unsafe { completion::settle_here(uv.env, || runtime::drive(|| wake_all(woken))) };
    });
}

/// # Safety
/// libuv's close callback of a poll handle made by `arm_here`.
unsafe extern "C" fn poll_closed(handle: *mut uv_handle_t) {
    // SAFETY: the handle's reference (`arm_here`), released once; the allocation made there.
    unsafe {
        drop(Arc::from_raw(*(handle as *mut *const SocketWatch)));
        libc::free(handle);
    }
}

/// Another thread left requests in the inbox.
///
/// # Safety
/// Called by libuv on the loop's thread with the async handle whose `data` is a live
/// `Arc<UvLoop>` reference (`event_loop`).
unsafe extern "C" fn on_wake(handle: *mut uv_handle_t) {
    // SAFETY: this function's contract.
    let uv = unsafe { &*(*(handle as *mut *const UvLoop)) };
    let _ = std::panic::catch_unwind(|| {
        let (arm, release, scheduled) = {
            let mut inbox = uv.inbox();
            if inbox.dead {
                return;
            }
            (
                std::mem::take(&mut inbox.arm),
                std::mem::take(&mut inbox.release),
                std::mem::take(&mut inbox.scheduled),
            )
        };
        if !scheduled.is_empty() {
            let drive = || runtime::drive(|| scheduled.into_iter().for_each(Waker::wake));
            // SAFETY: as in `on_poll` (`dead` is false: `teardown` has not run).
            unsafe { completion::settle_here(uv.env, drive) };
        }
        for watch in &arm {
            uv.arm_here(watch);
        }
        for watch in &release {
            uv.release_here(watch);
        }
    });
}

/// # Safety
/// libuv's close callback of the async handle made by `event_loop`.
unsafe extern "C" fn wake_closed(handle: *mut uv_handle_t) {
    // SAFETY: the handle's reference (`event_loop`), released once; the allocation made there.
    unsafe {
        drop(Arc::from_raw(*(handle as *mut *const UvLoop)));
        libc::free(handle);
    }
}

/// The environment ends: every socket is let go (its waiting tasks woken to find it dead), the
/// poll and async handles closed.
///
/// # Safety
/// Called by Node once, on the loop's thread, with the reference `event_loop` registered.
unsafe extern "C" fn teardown(arg: *mut c_void) {
    // SAFETY: this function's contract; the hook's reference is released at the end.
    let uv = unsafe { Arc::from_raw(arg as *const UvLoop) };
    let _ = std::panic::catch_unwind(|| {
        LOOP.with(|l| *l.borrow_mut() = None);
        let (watched, arm, release, scheduled) = {
            let mut inbox = uv.inbox();
            inbox.dead = true;
            (
                std::mem::take(&mut inbox.watched),
                std::mem::take(&mut inbox.arm),
                std::mem::take(&mut inbox.release),
                std::mem::take(&mut inbox.scheduled),
            )
        };
        for watch in watched.iter().filter_map(Weak::upgrade).chain(arm) {
            let (handle, woken) = {
                let mut state = watch.lock();
                state.dead = true;
                let woken = (state.read.take(), state.write.take());
                (std::mem::take(&mut state.handle), woken)
            };
            if handle != 0 {
                // SAFETY: a live poll handle of this loop, closed once (its slot is now 0).
                unsafe { uv_close(handle as *mut uv_handle_t, Some(poll_closed)) };
            }
            wake_all(woken);
        }
        for watch in release {
            let handle = std::mem::take(&mut watch.lock().handle);
            if handle != 0 {
                // SAFETY: as above.
                unsafe { uv_close(handle as *mut uv_handle_t, Some(poll_closed)) };
            }
            close_fd(&watch);
        }
        // Socket tasks waiting for their turn here: run by the engine now, they find their
        // sockets dead.
        scheduled.into_iter().for_each(Waker::wake);
        // SAFETY: the async handle, closed once: `dead` keeps every other thread from it now.
        unsafe { uv_close(uv.wake, Some(wake_closed)) };
    });
}
