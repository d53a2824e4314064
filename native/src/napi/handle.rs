//! Handles: a Rust object (a SQLite connection, a Postgres pool) owned by a JS external value.
//! JavaScript holds the external and passes it back as the first argument of every call;
//! `Env::unwrap_handle` checks it is a handle of the expected type. The object is dropped when
//! the external is garbage-collected, so a handle's `close` should release the resource itself
//! and leave the object in a closed state.

#![allow(dead_code)] // the API for export modules: not every wrapper is used by every engine

use std::ffi::c_void;
use std::ptr;

use super::env::{Env, JsError, JsResult, JsValue};
use super::sys::*;

/// A type JavaScript can hold as a handle. `TAG` must be unique among handle types (pick a
/// random u64); `NAME` appears in the error when a wrong value is passed.
pub trait Handle: 'static {
    const TAG: u64;
    const NAME: &'static str;

    /// Runs on the JavaScript thread just before the object is dropped after its external
    /// was collected (release Node-API references here).
    fn finalize(&mut self, _env: Env) {}
}

/// Heap layout of every handle: the tag first, so `unwrap_handle` can check it with one read
/// after one Node-API call (no per-call `napi_check_object_type_tag`).
#[repr(C)]
struct Tagged<T> {
    tag: u64,
    value: T,
}

impl Env {
    /// Moves `value` to the heap and returns an external owning it.
    pub fn create_handle<T: Handle>(self, value: T) -> JsResult<JsValue> {
        let boxed = Box::into_raw(Box::new(Tagged { tag: T::TAG, value }));
        let mut v = ptr::null_mut();
        // SAFETY: the current call's environment (see `Env`); `boxed` is a live heap pointer
        // the external owns from now on, freed once by `finalize::<T>`, the matching type.
        let status = unsafe {
            napi_create_external(
                self.raw(),
                boxed as *mut c_void,
                Some(finalize::<T>),
                ptr::null_mut(),
                &mut v,
            )
        };
        if status != NAPI_OK {
            // SAFETY: no external was created, so `boxed` (from `Box::into_raw` above) is still
            // ours alone and is freed exactly once, here.
            drop(unsafe { Box::from_raw(boxed) });
            self.check(status)?;
        }
        Ok(JsValue(v))
    }

    /// The object behind a handle created by `create_handle::<T>`. The reference is valid for
    /// the current call (the external is an argument, so it cannot be collected meanwhile).
    pub fn unwrap_handle<'a, T: Handle>(self, v: JsValue) -> JsResult<&'a T> {
        let mut data: *mut c_void = ptr::null_mut();
        // SAFETY: the current call's environment and one of its values; a value that is not an
        // external fails with a status.
        let status = unsafe { napi_get_value_external(self.raw(), v.raw(), &mut data) };
        let tagged = data as *const Tagged<T>;
        // SAFETY: every external this addon creates points at a `Tagged<_>`, whose `tag` is its
        // first field (`repr(C)`), so reading a u64 there is valid whatever `T` it holds.
        if status != NAPI_OK || tagged.is_null() || unsafe { (*tagged).tag } != T::TAG {
            return Err(JsError::argument(format!("expected a {} handle", T::NAME)));
        }
        // SAFETY: the tag matched, so it is a `Tagged<T>`; the external is an argument of the
        // current call, so it is not collected (and the value not freed) before the call ends.
        Ok(unsafe { &(*tagged).value })
    }
}

/// # Safety
/// Called by Node once, on the JavaScript thread, when the external made by
/// `create_handle::<T>` is collected; `data` is its `Box<Tagged<T>>`.
unsafe extern "C" fn finalize<T: Handle>(env: napi_env, data: *mut c_void, _hint: *mut c_void) {
    // A panic here must not unwind into Node; the object is lost either way.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: the box `create_handle::<T>` leaked, freed once, here (this function's
        // contract).
        let mut tagged = unsafe { Box::from_raw(data as *mut Tagged<T>) };
        // SAFETY: Node runs finalizers on the JavaScript thread with its environment.
        tagged.value.finalize(unsafe { Env::from_raw(env) });
        drop(tagged);
    }));
}
