//! Exported functions: `Export` (a name and a callback), the `export!` macro that wraps a plain
//! Rust function as a Node-API callback, and `call`, which every callback goes through: it reads
//! the arguments, runs the function inside `catch_unwind` and turns an `Err` — or a panic — into
//! a thrown JS error. No panic ever unwinds into Node (since Rust 1.81 that aborts the process).

#![allow(dead_code)] // the API for export modules: not every wrapper is used by every engine

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::ptr;
use std::sync::Once;

use super::env::{Env, JsError, JsResult, JsValue};
use super::sys::*;
use crate::error::{DbError, ErrorKind};

/// Most arguments an export reads; extra ones are ignored, missing ones are `undefined`.
pub const MAX_ARGS: usize = 6;

/// The arguments of one call.
pub struct Args {
    argv: [napi_value; MAX_ARGS],
    argc: usize,
}

impl Args {
    /// Argument `i` (0-based); `undefined` past the ones passed.
    pub fn get(&self, env: Env, i: usize) -> JsResult<JsValue> {
        if i < self.argc.min(MAX_ARGS) {
            Ok(JsValue(self.argv[i]))
        } else {
            env.undefined()
        }
    }

    pub fn len(&self) -> usize {
        self.argc
    }

    pub fn is_empty(&self) -> bool {
        self.argc == 0
    }
}

/// The signature of every exported function.
pub type ExportFn = fn(Env, &Args) -> JsResult<JsValue>;

/// One entry of a module's `EXPORTS` list (see `napi/mod.rs`).
pub struct Export {
    /// NUL-terminated JavaScript name.
    pub name: &'static str,
    pub callback: unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value,
}

/// `export!("sqliteQuery", sqlite_query)`: an `Export` whose callback runs `sqlite_query`
/// through `call` (arguments read, panics caught, errors thrown).
#[macro_export]
macro_rules! export {
    ($name:literal, $f:path) => {
        $crate::napi::export::Export {
            name: concat!($name, "\0"),
            callback: {
                unsafe extern "C" fn callback(
                    env: $crate::napi::sys::napi_env,
                    info: $crate::napi::sys::napi_callback_info,
                ) -> $crate::napi::sys::napi_value {
                    // SAFETY: Node calls this export with its own `env` and `info`.
                    unsafe { $crate::napi::export::call(env, info, $f) }
                }
                callback
            },
        }
    };
}

/// Runs an export: reads up to `MAX_ARGS` arguments, calls `f`, returns its value or throws.
///
/// # Safety
/// `env` and `info` must be the ones Node passed to the callback.
pub unsafe fn call(env: napi_env, info: napi_callback_info, f: ExportFn) -> napi_value {
    // SAFETY: Node's environment for this callback, on its thread (this function's contract).
    let env = unsafe { Env::from_raw(env) };
    let outcome = catch_panic(|| {
        let mut args = Args {
            argv: [ptr::null_mut(); MAX_ARGS],
            argc: MAX_ARGS,
        };
        // SAFETY: `info` is this callback's; `argv` has room for `argc` values, and Node
        // writes at most that many (setting `argc` to the real count).
        env.check(unsafe {
            napi_get_cb_info(
                env.raw(),
                info,
                &mut args.argc,
                args.argv.as_mut_ptr(),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        })?;
        f(env, &args)
    });
    match outcome {
        Ok(v) => v.raw(),
        Err(e) => {
            env.throw(e);
            ptr::null_mut()
        }
    }
}

/// Runs `f`, turning a panic into `JsError` kind "internal" whose message holds the panic's
/// message and location. Use it around any Rust code a Node-API callback runs that is not an
/// export (finalizers, thread-safe callbacks).
pub fn catch_panic<T>(f: impl FnOnce() -> JsResult<T>) -> JsResult<T> {
    install_panic_hook();
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(JsError::Db(panic_error(payload))),
    }
}

/// The `DbError` for a caught panic payload (also used by worker threads and tokio tasks).
pub fn panic_error(payload: Box<dyn std::any::Any + Send>) -> DbError {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with a non-text payload".to_string());
    let location = LAST_PANIC_LOCATION.with(|l| l.borrow_mut().take());
    let at = location.map(|l| format!(" at {l}")).unwrap_or_default();
    DbError::new(
        ErrorKind::Internal,
        format!("yara's native engine panicked: {message}{at} (this is a bug in yara; please report it)"),
    )
}

thread_local! {
    static LAST_PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Panics are reported as JS errors, so the default hook's stderr message is replaced by one
/// that only remembers where the panic happened (printed too when `YARA_NATIVE_DEBUG` is set).
fn install_panic_hook() {
    HOOK.call_once(|| {
        let debug = std::env::var_os("YARA_NATIVE_DEBUG").is_some();
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if let Some(l) = info.location() {
                let at = format!("{}:{}", l.file(), l.line());
                LAST_PANIC_LOCATION.with(|slot| *slot.borrow_mut() = Some(at));
            }
            if debug {
                default(info);
            }
        }));
    });
}
