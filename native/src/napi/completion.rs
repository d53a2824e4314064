//! Settling promises from other threads: a tokio task or a worker thread finishes work begun by
//! a JavaScript call and resolves (or rejects) that call's promise.
//!
//! ```text
//! fn query_async(env: Env, args: &Args) -> JsResult<JsValue> {
//!     let (promise, done) = completion::promise(env)?;      // on the JS thread
//!     std::thread::spawn(move || match work() {
//!         Ok(encoded) => done.resolve_result(encoded, true), // from any thread
//!         Err(e) => done.reject(e),
//!     });
//!     Ok(promise)
//! }
//! ```
//!
//! One `napi_threadsafe_function` per JavaScript environment (main thread or worker) carries
//! every completion: settled completions wait in a queue, and the first one into an empty queue
//! schedules one JavaScript-thread callback that drains all of them — so a burst of N
//! completions costs one wake-up, not N. The function is ref'd only while some promise is
//! unsettled, so an idle process can exit. A `Completion` dropped unsettled (a panicking task)
//! rejects its promise with an "internal" error instead of leaving it pending forever.
//!
//! Work that finishes on the JavaScript thread itself, inside a callback of its event loop (a
//! Postgres reply read there, `socket_poll.rs`), skips the thread-safe function: `settle_here`
//! runs that work, then settles everything queued by then in the same turn of the loop, inside
//! a callback scope whose end runs the promise reactions, as Node does after any callback. The
//! reply then costs no second turn of the loop (no `uv_async_send` to the thread itself, no
//! second `epoll_wait`).

#![allow(dead_code)] // the API for export modules: not every wrapper is used by every engine

use std::cell::Cell;
use std::ffi::c_void;
use std::ptr;
use std::sync::{Arc, Mutex};

use super::convert;
use super::env::{Env, JsError, JsResult, JsValue};
use super::export::catch_panic;
use super::sys::*;
use crate::columnar::Encoded;
use crate::error::{DbError, ErrorKind};

/// Builds the value a promise resolves with, on the JavaScript thread; `Err` rejects it.
type Outcome = Box<dyn FnOnce(Env) -> JsResult<JsValue> + Send>;

struct Settled {
    deferred: napi_deferred,
    outcome: Outcome,
}

struct QueueState {
    items: Vec<Settled>,
    /// The environment is shutting down: the thread-safe function is gone; drop completions.
    closed: bool,
    tsfn: napi_threadsafe_function,
}

struct Queue {
    state: Mutex<QueueState>,
}

// SAFETY: `deferred` is only used on the JavaScript thread (in `call_js`); the thread-safe
// function handle is meant to be called from any thread, and only while `closed` is false
// (checked under the same lock `finalize_queue` takes).
unsafe impl Send for Queue {}
// SAFETY: every field is behind the `state` mutex; see `Send` above for what the raw handles
// allow.
unsafe impl Sync for Queue {}

/// Per-environment state, kept as the addon's instance data; touched only on the JS thread.
struct Instance {
    queue: Arc<Queue>,
    /// Promises created and not yet settled on the JavaScript side.
    in_flight: Cell<usize>,
    /// The async context of `settle_here`'s callback scopes, made the first time; null before.
    async_context: Cell<napi_async_context>,
}

thread_local! {
    /// The queue that this thread settles itself at the end of the `settle_here` it is inside
    /// (null outside one): pushing to it needs no thread-safe call.
    static SETTLING_HERE: Cell<*const Queue> = const { Cell::new(ptr::null()) };
}

/// A promise's settle-once handle. `Send`: move it to any thread.
pub struct Completion {
    deferred: napi_deferred,
    queue: Arc<Queue>,
    settled: bool,
}

// SAFETY: the deferred is only dereferenced back on the JavaScript thread (see `Queue`).
unsafe impl Send for Completion {}

/// Creates a promise on the JavaScript thread and the `Completion` that settles it.
pub fn promise(env: Env) -> JsResult<(JsValue, Completion)> {
    let instance = instance(env)?;
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: the `Env` invariant (the current call's environment, live out-pointers).
    env.check(unsafe { napi_create_promise(env.raw(), &mut deferred, &mut promise) })?;
    if instance.in_flight.get() == 0 {
        // SAFETY: on the JavaScript thread that created the queue's thread-safe function,
        // which lives until the environment's teardown.
        env.check(unsafe { napi_ref_threadsafe_function(env.raw(), instance.queue.tsfn()) })?;
    }
    instance.in_flight.set(instance.in_flight.get() + 1);
    Ok((
        JsValue(promise),
        Completion {
            deferred,
            queue: instance.queue.clone(),
            settled: false,
        },
    ))
}

impl Completion {
    /// Settles the promise with whatever `outcome` builds on the JavaScript thread
    /// (`Ok` resolves, `Err` rejects). `outcome` must not block.
    pub fn settle(mut self, outcome: impl FnOnce(Env) -> JsResult<JsValue> + Send + 'static) {
        self.settled = true;
        self.queue.push(Settled {
            deferred: self.deferred,
            outcome: Box::new(outcome),
        });
    }

    /// Resolves with a result set, as `convert::result` hands it over (`with_columns`: include
    /// the column names).
    pub fn resolve_result(self, encoded: Encoded, with_columns: bool) {
        self.settle(move |env| convert::result(env, encoded, with_columns))
    }

    /// Resolves with a number (a row count).
    pub fn resolve_number(self, n: f64) {
        self.settle(move |env| env.double(n))
    }

    pub fn resolve_undefined(self) {
        self.settle(|env| env.undefined())
    }

    /// Rejects with the structured JS error for `e` (see `Env::error_object`).
    pub fn reject(self, e: DbError) {
        self.settle(move |_| Err(JsError::Db(e)))
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        if !self.settled {
            let e = DbError::new(
                ErrorKind::Internal,
                "yara's native engine dropped an operation without a result (a panic on a worker thread?)",
            );
            self.queue.push(Settled {
                deferred: self.deferred,
                outcome: Box::new(move |_| Err(JsError::Db(e))),
            });
        }
    }
}

impl Queue {
    fn tsfn(&self) -> napi_threadsafe_function {
        self.lock().tsfn
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        match self.state.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Has the thread-safe function settle what waits in the queue.
    fn kick(&self) {
        let mut state = self.lock();
        if state.closed || state.items.is_empty() {
            return;
        }
        // SAFETY: as in `push`.
        let status = unsafe {
            napi_call_threadsafe_function(state.tsfn, ptr::null_mut(), NAPI_TSFN_NONBLOCKING)
        };
        if status != NAPI_OK {
            state.closed = true;
            state.items.clear();
        }
    }

    fn push(&self, item: Settled) {
        let mut state = self.lock();
        if state.closed {
            return; // the environment is gone; so is the promise
        }
        state.items.push(item);
        if state.items.len() == 1 && !SETTLING_HERE.with(|q| ptr::eq(q.get(), self)) {
            // SAFETY: callable from any thread while the function exists; it does while
            // `closed` is false, which is checked above under the lock `finalize_queue` takes.
            let status = unsafe {
                napi_call_threadsafe_function(state.tsfn, ptr::null_mut(), NAPI_TSFN_NONBLOCKING)
            };
            if status != NAPI_OK {
                state.closed = true;
                state.items.clear();
            }
        }
    }
}

fn instance<'a>(env: Env) -> JsResult<&'a Instance> {
    let mut data: *mut c_void = ptr::null_mut();
    // SAFETY: the `Env` invariant (the current call's environment, a live out-pointer).
    env.check(unsafe { napi_get_instance_data(env.raw(), &mut data) })?;
    if !data.is_null() {
        // SAFETY: this addon's instance data is only ever the `Instance` boxed below, freed by
        // `finalize_instance` at teardown, after the last call on this thread.
        return Ok(unsafe { &*(data as *const Instance) });
    }
    let queue = Arc::new(Queue {
        state: Mutex::new(QueueState {
            items: Vec::new(),
            closed: false,
            tsfn: ptr::null_mut(),
        }),
    });
    // The thread-safe function holds one reference to the queue, released in its finalizer.
    let context = Arc::into_raw(queue.clone()) as *mut c_void;
    let name = env.string("yara-native-completion")?;
    let mut tsfn = ptr::null_mut();
    // SAFETY: the `Env` invariant; `context` is an owned `Arc<Queue>` reference that the
    // function hands to `call_js` and `finalize_queue` (which releases it), `name` a value of
    // this call.
    let status = unsafe {
        napi_create_threadsafe_function(
            env.raw(),
            ptr::null_mut(),
            ptr::null_mut(),
            name.raw(),
            0,
            1,
            ptr::null_mut(),
            Some(finalize_queue),
            context,
            Some(call_js),
            &mut tsfn,
        )
    };
    if status != NAPI_OK {
        // SAFETY: no function was created, so the reference `Arc::into_raw` made above is still
        // ours; it is released exactly once, here.
        drop(unsafe { Arc::from_raw(context as *const Queue) });
        env.check(status)?;
    }
    queue.lock().tsfn = tsfn;
    // SAFETY: on the JavaScript thread that just created `tsfn`.
    env.check(unsafe { napi_unref_threadsafe_function(env.raw(), tsfn) })?;
    let boxed = Box::into_raw(Box::new(Instance {
        queue,
        in_flight: Cell::new(0),
        async_context: Cell::new(ptr::null_mut()),
    }));
    // SAFETY: the `Env` invariant; the environment owns `boxed` from now on and frees it once,
    // with `finalize_instance`.
    env.check(unsafe {
        napi_set_instance_data(
            env.raw(),
            boxed as *mut c_void,
            Some(finalize_instance),
            ptr::null_mut(),
        )
    })?;
    // SAFETY: `boxed` is live until the environment's teardown (see above).
    Ok(unsafe { &*boxed })
}

/// Runs `work` on the JavaScript thread, from a callback of its event loop (not from a call
/// from JavaScript, nor inside another `settle_here`), then settles every completion queued by
/// then — the ones `work` settled and any other thread's that wait for the thread-safe
/// function, in the order they were queued — inside a callback scope: closing it runs the
/// promise reactions, as after the thread-safe function's own callback.
///
/// # Safety
/// `env` is the environment of the JavaScript thread running this, live for the whole call.
pub unsafe fn settle_here<R>(env: napi_env, work: impl FnOnce() -> R) -> R {
    // SAFETY: this function's contract; every Node-API call below is made inside the handle
    // scope opened here, or needs none.
    let env = unsafe { Env::from_raw(env) };
    let Ok(instance) = instance(env) else {
        return work();
    };
    let queue = instance.queue.clone();
    /// Restores the thread's state when `work` returns, and if it panicked instead, hands what
    /// it queued to the thread-safe function after all.
    struct Here<'a> {
        queue: &'a Queue,
        outer: *const Queue,
        returned: bool,
    }
    impl Drop for Here<'_> {
        fn drop(&mut self) {
            SETTLING_HERE.with(|q| q.set(self.outer));
            if !self.returned {
                self.queue.kick();
            }
        }
    }
    let mut here = Here {
        queue: &queue,
        outer: SETTLING_HERE.with(|q| q.replace(Arc::as_ptr(&queue))),
        returned: false,
    };
    let result = work();
    here.returned = true;
    drop(here);
    if queue.lock().items.is_empty() {
        return result;
    }
    let mut handles = ptr::null_mut();
    // SAFETY: the `Env` invariant (see above); closed below.
    unsafe { napi_open_handle_scope(env.raw(), &mut handles) };
    let scope = callback_scope(env, instance);
    settle_queued(env, &queue);
    if let Some(scope) = scope {
        // SAFETY: the scope opened by `callback_scope`, closed once; its end runs the
        // microtasks and `process.nextTick` callbacks that settling queued.
        unsafe { napi_close_callback_scope(env.raw(), scope) };
    }
    // SAFETY: the scope opened above.
    unsafe { napi_close_handle_scope(env.raw(), handles) };
    result
}

/// Opens a callback scope for `settle_here`, making the instance's async context the first
/// time; `None` when Node refuses (the promises are still settled; their reactions then run
/// at the next callback).
fn callback_scope(env: Env, instance: &Instance) -> Option<napi_callback_scope> {
    let resource = env.object().ok()?;
    if instance.async_context.get().is_null() {
        // Named apart from the thread-safe function's resource, so that async hooks tell the
        // two ways of settling apart (tests/runtime/driver/native-pg-wakeups.test.ts).
        let name = env.string("yara-native-poll").ok()?;
        let mut context = ptr::null_mut();
        // SAFETY: the `Env` invariant, values of this handle scope, a live out-pointer; the
        // context lives as long as the environment (released in `finalize_instance`).
        env.check(unsafe { napi_async_init(env.raw(), resource.raw(), name.raw(), &mut context) })
            .ok()?;
        instance.async_context.set(context);
    }
    let mut scope = ptr::null_mut();
    // SAFETY: the `Env` invariant; the context made above; closed by the caller.
    env.check(unsafe {
        napi_open_callback_scope(
            env.raw(),
            resource.raw(),
            instance.async_context.get(),
            &mut scope,
        )
    })
    .ok()?;
    Some(scope)
}

/// On the JavaScript thread: settles every queued completion.
///
/// # Safety
/// Called by Node only, on the JavaScript thread, with the function's environment (null while
/// it tears down) and the context given at creation: a live `Arc<Queue>` reference.
unsafe extern "C" fn call_js(
    env: napi_env,
    _js_callback: napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    if env.is_null() || context.is_null() {
        return; // the environment is tearing down
    }
    // SAFETY: Node calls this on the JavaScript thread with its environment (this function's
    // contract), so the `Env` invariant holds for the rest of it.
    let env = unsafe { Env::from_raw(env) };
    // SAFETY: `context` is the `Arc<Queue>` reference `instance` gave the function; it is
    // released only by `finalize_queue`, after the last `call_js`.
    let queue = unsafe { &*(context as *const Queue) };
    settle_queued(env, queue);
}

/// On the JavaScript thread, with its environment: settles every completion in `queue`.
fn settle_queued(env: Env, queue: &Queue) {
    let items = { std::mem::take(&mut queue.lock().items) };
    let settled = items.len();
    for Settled { deferred, outcome } in items {
        let mut scope = ptr::null_mut();
        // SAFETY: the `Env` invariant; the scope is closed below, in the same iteration.
        unsafe { napi_open_handle_scope(env.raw(), &mut scope) };
        match catch_panic(|| outcome(env)) {
            Ok(v) => {
                // SAFETY: `deferred` came from `napi_create_promise` in this environment and is
                // settled once: its `Settled` was queued once and is consumed here.
                unsafe { napi_resolve_deferred(env.raw(), deferred, v.raw()) };
            }
            Err(e) => {
                let v = env.error_value(e);
                // SAFETY: as for resolve.
                unsafe { napi_reject_deferred(env.raw(), deferred, v.raw()) };
            }
        }
        // SAFETY: the scope opened above.
        unsafe { napi_close_handle_scope(env.raw(), scope) };
    }
    let mut data: *mut c_void = ptr::null_mut();
    // SAFETY: the `Env` invariant; this addon's instance data is null or an `Instance`, live
    // until the environment's teardown (see `instance`).
    unsafe { napi_get_instance_data(env.raw(), &mut data) };
    // SAFETY: as just said.
    if let Some(instance) = unsafe { (data as *const Instance).as_ref() } {
        let left = instance.in_flight.get().saturating_sub(settled);
        instance.in_flight.set(left);
        if left == 0 {
            // SAFETY: on the JavaScript thread that created the function, which exists until
            // the environment's teardown.
            unsafe { napi_unref_threadsafe_function(env.raw(), queue.tsfn()) };
        }
    }
}

/// # Safety
/// Called by Node once, when the thread-safe function is finalized, with the context given at
/// creation as `hint`.
unsafe extern "C" fn finalize_queue(_env: napi_env, _data: *mut c_void, hint: *mut c_void) {
    // Node passes `thread_finalize_data` (null here) as data and the context as the hint.
    let context = hint;
    if context.is_null() {
        return;
    }
    // SAFETY: the function's own `Arc<Queue>` reference (see `instance`), released once.
    let queue = unsafe { Arc::from_raw(context as *const Queue) };
    let mut state = queue.lock();
    state.closed = true;
    state.items.clear();
}

/// # Safety
/// Called by Node once, at the environment's teardown, with the instance data set in
/// `instance`.
unsafe extern "C" fn finalize_instance(env: napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the `Box<Instance>` leaked in `instance`, freed once, here.
    let instance = unsafe { Box::from_raw(data as *mut Instance) };
    let context = instance.async_context.get();
    if !context.is_null() && !env.is_null() {
        // SAFETY: the environment's own context (`callback_scope`), destroyed once, here.
        unsafe { napi_async_destroy(env, context) };
    }
    let _ = std::panic::catch_unwind(|| drop(instance));
}
