//! Typed wrappers over the raw Node-API calls: `Env` (the per-call environment), `JsValue` (a
//! handle valid until the current call returns), `JsError` and `JsResult`. Every `napi_*` call
//! outside `completion.rs` and `handle.rs` goes through here and has its status checked.

#![allow(dead_code)] // the API for export modules: not every wrapper is used by every engine

use std::ffi::{c_char, c_void, CStr};
use std::ptr;

use super::sys::*;
use crate::error::{DbError, ErrorKind};

/// A JavaScript value, valid inside the Node-API call (or handle scope) that produced it.
#[derive(Clone, Copy, Debug)]
pub struct JsValue(pub(crate) napi_value);

impl JsValue {
    pub fn raw(self) -> napi_value {
        self.0
    }
}

/// Why a wrapper failed. `Pending`: a JavaScript exception is already pending (a call into JS
/// threw), so the export returns and lets it propagate. `Db`: throw this as a structured error.
#[derive(Debug)]
pub enum JsError {
    Pending,
    Db(DbError),
}

impl From<DbError> for JsError {
    fn from(e: DbError) -> Self {
        JsError::Db(e)
    }
}

impl JsError {
    /// An engine bug (a Node-API call failed where it cannot): kind "internal".
    pub fn internal(message: impl Into<String>) -> Self {
        JsError::Db(DbError::new(ErrorKind::Internal, message))
    }

    /// The caller passed something of the wrong shape: kind "bind" names parameters, this is
    /// for the other arguments of an export.
    pub fn argument(message: impl Into<String>) -> Self {
        JsError::Db(DbError::new(ErrorKind::Config, message))
    }
}

pub type JsResult<T> = Result<T, JsError>;

/// The `typeof` of a value, as Node-API reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsType {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Symbol,
    Object,
    Function,
    External,
    BigInt,
}

/// The environment of one call from JavaScript (or of one thread-safe callback). Not `Send`:
/// it is only valid on the JavaScript thread that handed it over.
///
/// The invariant every `unsafe` Node-API call in this module relies on (their `SAFETY:`
/// comments name it): `self.0` is the `napi_env` of the call now running on this thread
/// (`from_raw`'s contract; `Env` cannot leave the thread), every `JsValue` passed is a value
/// of that call (valid until it returns), and every out-pointer points at a live local.
#[derive(Clone, Copy)]
pub struct Env(pub(crate) napi_env);

/// Byte length from which a result buffer is handed to JavaScript without copying (an external
/// ArrayBuffer owning the Vec); smaller ones are copied, which is cheaper than a finalizer.
const EXTERNAL_BUFFER_MIN: usize = 64 * 1024;

impl Env {
    /// # Safety
    /// `raw` must be the `napi_env` of the current call on the current thread.
    pub unsafe fn from_raw(raw: napi_env) -> Self {
        Env(raw)
    }

    pub fn raw(self) -> napi_env {
        self.0
    }

    /// Turns a Node-API status into a `JsResult`, reading the pending exception or the last
    /// error message.
    #[inline(always)]
    pub fn check(self, status: napi_status) -> JsResult<()> {
        if status == NAPI_OK {
            Ok(())
        } else {
            self.failure(status)
        }
    }

    #[cold]
    #[inline(never)]
    fn failure(self, status: napi_status) -> JsResult<()> {
        let mut pending = false;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        unsafe { napi_is_exception_pending(self.0, &mut pending) };
        if pending || status == NAPI_PENDING_EXCEPTION {
            return Err(JsError::Pending);
        }
        let mut info: *const napi_extended_error_info = ptr::null();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        unsafe { napi_get_last_error_info(self.0, &mut info) };
        // SAFETY: a non-null `info` points at Node's error info, valid until the next Node-API
        // call; `error_message` is null or a NUL-terminated string, copied before any call.
        let detail = if info.is_null() || unsafe { (*info).error_message.is_null() } {
            format!("status {status}")
        } else {
            // SAFETY: as above: non-null and NUL-terminated, and copied right away.
            unsafe { CStr::from_ptr((*info).error_message) }
                .to_string_lossy()
                .into_owned()
        };
        Err(JsError::internal(format!(
            "a Node-API call failed: {detail}"
        )))
    }

    // --- creating values ---

    pub fn undefined(self) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_undefined(self.0, &mut v) })?;
        Ok(JsValue(v))
    }

    pub fn null(self) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_null(self.0, &mut v) })?;
        Ok(JsValue(v))
    }

    pub fn boolean(self, b: bool) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_boolean(self.0, b, &mut v) })?;
        Ok(JsValue(v))
    }

    pub fn double(self, n: f64) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_create_double(self.0, n, &mut v) })?;
        Ok(JsValue(v))
    }

    pub fn uint32(self, n: u32) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_create_uint32(self.0, n, &mut v) })?;
        Ok(JsValue(v))
    }

    pub fn bigint(self, n: i64) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_create_bigint_int64(self.0, n, &mut v) })?;
        Ok(JsValue(v))
    }

    /// A string; ASCII text is created as a one-byte (latin1) string, skipping UTF-8 decoding.
    pub fn string(self, s: &str) -> JsResult<JsValue> {
        if s.is_ascii() {
            self.string_latin1(s.as_bytes())
        } else {
            self.string_utf8(s)
        }
    }

    /// A one-byte string from bytes the caller knows are ASCII (or meant as latin1).
    pub fn string_latin1(self, bytes: &[u8]) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        let p = if bytes.is_empty() {
            b"".as_ptr()
        } else {
            bytes.as_ptr()
        };
        // SAFETY: the `Env` invariant; `p` points at `bytes.len()` readable bytes (a static
        // empty string when there are none, never a dangling pointer).
        self.check(unsafe {
            napi_create_string_latin1(self.0, p as *const c_char, bytes.len(), &mut v)
        })?;
        Ok(JsValue(v))
    }

    pub fn string_utf8(self, s: &str) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant; `s` is `s.len()` bytes of valid UTF-8.
        self.check(unsafe {
            napi_create_string_utf8(self.0, s.as_ptr() as *const c_char, s.len(), &mut v)
        })?;
        Ok(JsValue(v))
    }

    pub fn object(self) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_create_object(self.0, &mut v) })?;
        Ok(JsValue(v))
    }

    pub fn array(self, len: usize) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_create_array_with_length(self.0, len, &mut v) })?;
        Ok(JsValue(v))
    }

    /// An array of strings (column names).
    pub fn string_array(self, items: &[String]) -> JsResult<JsValue> {
        let arr = self.array(items.len())?;
        for (i, s) in items.iter().enumerate() {
            let v = self.string(s)?;
            self.set_element(arr, i as u32, v)?;
        }
        Ok(arr)
    }

    /// An ArrayBuffer holding `bytes`: small ones are copied into a V8-allocated buffer, large
    /// ones handed over without a copy (the buffer owns the Vec and frees it when collected).
    pub fn arraybuffer(self, bytes: Vec<u8>) -> JsResult<JsValue> {
        if bytes.len() >= EXTERNAL_BUFFER_MIN {
            let mut boxed = Box::new(bytes);
            let data = boxed.as_mut_ptr() as *mut c_void;
            let len = boxed.len();
            let hint = Box::into_raw(boxed) as *mut c_void;
            let mut v = ptr::null_mut();
            // SAFETY: the `Env` invariant; `data` / `len` are the boxed Vec's buffer, which the
            // ArrayBuffer owns from now on and `free_vec` frees with `hint` once collected.
            let status = unsafe {
                napi_create_external_arraybuffer(self.0, data, len, Some(free_vec), hint, &mut v)
            };
            if status == NAPI_OK {
                return Ok(JsValue(v));
            }
            // Refused (e.g. a sandboxed V8 allows no external buffers): take the Vec back, copy.
            // SAFETY: the call failed, so no ArrayBuffer owns `hint` (from `Box::into_raw`
            // above): it is taken back exactly once.
            let bytes = *unsafe { Box::from_raw(hint as *mut Vec<u8>) };
            if status != NAPI_NO_EXTERNAL_BUFFERS_ALLOWED {
                self.check(status)?;
            }
            return self.arraybuffer_copy(&bytes);
        }
        self.arraybuffer_copy(&bytes)
    }

    pub fn arraybuffer_copy(self, bytes: &[u8]) -> JsResult<JsValue> {
        let mut data: *mut c_void = ptr::null_mut();
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_create_arraybuffer(self.0, bytes.len(), &mut data, &mut v) })?;
        if !bytes.is_empty() {
            // SAFETY: V8 just allocated `data` with `bytes.len()` bytes, a fresh buffer that
            // cannot overlap `bytes`.
            unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), data as *mut u8, bytes.len()) };
        }
        Ok(JsValue(v))
    }

    /// A plain `Uint8Array` (not a Buffer) over a copy of `bytes`.
    pub fn uint8array(self, bytes: &[u8]) -> JsResult<JsValue> {
        let ab = self.arraybuffer_copy(bytes)?;
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe {
            napi_create_typedarray(self.0, NAPI_UINT8_ARRAY, bytes.len(), ab.0, 0, &mut v)
        })?;
        Ok(JsValue(v))
    }

    // --- reading values ---

    pub fn type_of(self, v: JsValue) -> JsResult<JsType> {
        let mut t: napi_valuetype = 0;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_typeof(self.0, v.0, &mut t) })?;
        Ok(match t {
            NAPI_UNDEFINED => JsType::Undefined,
            NAPI_NULL => JsType::Null,
            NAPI_BOOLEAN => JsType::Boolean,
            NAPI_NUMBER => JsType::Number,
            NAPI_STRING => JsType::String,
            NAPI_SYMBOL => JsType::Symbol,
            NAPI_FUNCTION => JsType::Function,
            NAPI_EXTERNAL => JsType::External,
            NAPI_BIGINT => JsType::BigInt,
            _ => JsType::Object,
        })
    }

    pub fn get_f64(self, v: JsValue) -> JsResult<f64> {
        let mut n = 0.0;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_value_double(self.0, v.0, &mut n) })?;
        Ok(n)
    }

    pub fn get_u32(self, v: JsValue) -> JsResult<u32> {
        let mut n = 0u32;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_value_uint32(self.0, v.0, &mut n) })?;
        Ok(n)
    }

    pub fn get_bool(self, v: JsValue) -> JsResult<bool> {
        let mut b = false;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_value_bool(self.0, v.0, &mut b) })?;
        Ok(b)
    }

    /// A bigint as i64, and whether it fit (false: wider than 64 bits, value truncated).
    pub fn get_bigint_i64(self, v: JsValue) -> JsResult<(i64, bool)> {
        let mut n = 0i64;
        let mut lossless = false;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_value_bigint_int64(self.0, v.0, &mut n, &mut lossless) })?;
        Ok((n, lossless))
    }

    /// A string's UTF-8 form (lone surrogates become U+FFFD, as in every V8 UTF-8 write).
    pub fn get_string(self, v: JsValue) -> JsResult<String> {
        // One call for short strings: a stack buffer; a full buffer may mean truncation, so
        // then ask for the length and copy again.
        let mut stack = [0u8; 256];
        let mut len = 0usize;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe {
            napi_get_value_string_utf8(
                self.0,
                v.0,
                stack.as_mut_ptr() as *mut c_char,
                stack.len(),
                &mut len,
            )
        })?;
        if len < stack.len() - 4 {
            // SAFETY: V8 writes valid UTF-8 (a lone surrogate becomes U+FFFD) and never cuts a
            // sequence short; `stack[..len]` is what it wrote.
            return Ok(unsafe { std::str::from_utf8_unchecked(&stack[..len]) }.to_owned());
        }
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe {
            napi_get_value_string_utf8(self.0, v.0, ptr::null_mut(), 0, &mut len)
        })?;
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe {
            napi_get_value_string_utf8(
                self.0,
                v.0,
                buf.as_mut_ptr() as *mut c_char,
                buf.len(),
                &mut written,
            )
        })?;
        buf.truncate(written);
        // SAFETY: V8 wrote valid UTF-8 (see above), `written` bytes of it, the whole string.
        Ok(unsafe { String::from_utf8_unchecked(buf) })
    }

    pub fn is_array(self, v: JsValue) -> JsResult<bool> {
        let mut b = false;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_is_array(self.0, v.0, &mut b) })?;
        Ok(b)
    }

    pub fn array_len(self, v: JsValue) -> JsResult<u32> {
        let mut n = 0u32;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_array_length(self.0, v.0, &mut n) })?;
        Ok(n)
    }

    pub fn get_element(self, arr: JsValue, i: u32) -> JsResult<JsValue> {
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_get_element(self.0, arr.0, i, &mut v) })?;
        Ok(JsValue(v))
    }

    pub fn set_element(self, arr: JsValue, i: u32, v: JsValue) -> JsResult<()> {
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_set_element(self.0, arr.0, i, v.0) })
    }

    /// `name` must end with a NUL byte (`"code\0"`).
    pub fn set_named(self, obj: JsValue, name: &'static str, v: JsValue) -> JsResult<()> {
        debug_assert!(name.ends_with('\0'));
        // SAFETY: the `Env` invariant; `name` is NUL-terminated (checked above in debug builds,
        // and every caller passes a literal ending in "\0").
        self.check(unsafe {
            napi_set_named_property(self.0, obj.0, name.as_ptr() as *const c_char, v.0)
        })
    }

    /// `name` must end with a NUL byte.
    pub fn get_named(self, obj: JsValue, name: &'static str) -> JsResult<JsValue> {
        debug_assert!(name.ends_with('\0'));
        let mut v = ptr::null_mut();
        // SAFETY: as in `set_named`: `name` is NUL-terminated.
        self.check(unsafe {
            napi_get_named_property(self.0, obj.0, name.as_ptr() as *const c_char, &mut v)
        })?;
        Ok(JsValue(v))
    }

    /// The bytes of a Uint8Array (or Buffer, or any typed array: its raw bytes), borrowed.
    /// `None` when `v` is no typed array. Valid while `v` is alive and not detached — that is,
    /// for the rest of the current call; copy before leaving it.
    pub fn get_bytes<'a>(self, v: JsValue) -> JsResult<Option<&'a [u8]>> {
        let mut is = false;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_is_typedarray(self.0, v.0, &mut is) })?;
        if !is {
            return Ok(None);
        }
        let mut ty: napi_typedarray_type = 0;
        let mut len = 0usize;
        let mut data: *mut c_void = ptr::null_mut();
        let mut ab = ptr::null_mut();
        let mut off = 0usize;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe {
            napi_get_typedarray_info(self.0, v.0, &mut ty, &mut len, &mut data, &mut ab, &mut off)
        })?;
        let bytes = len * typed_array_element_size(ty);
        if bytes == 0 || data.is_null() {
            return Ok(Some(&[]));
        }
        // SAFETY: V8 reported `data` as the typed array's first byte and `len` elements of
        // `typed_array_element_size(ty)` bytes after it; `v` is a value of the current call,
        // so the memory lives (and is not detached by this thread) while the slice is used.
        Ok(Some(unsafe {
            std::slice::from_raw_parts(data as *const u8, bytes)
        }))
    }

    // --- errors ---

    /// A JS `Error` carrying the structured fields of `e` as properties: `kind` always, and
    /// `code`, `constraint`, `table`, `column`, `detail` when present. Never any bound value.
    pub fn error_object(self, e: &DbError) -> JsResult<JsValue> {
        let msg = self.string(&e.message)?;
        let mut err = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        self.check(unsafe { napi_create_error(self.0, ptr::null_mut(), msg.0, &mut err) })?;
        let err = JsValue(err);
        let kind = self.string(e.kind.as_str())?;
        self.set_named(err, "kind\0", kind)?;
        let fields: [(&'static str, &Option<String>); 5] = [
            ("code\0", &e.code),
            ("constraint\0", &e.constraint),
            ("table\0", &e.table),
            ("column\0", &e.column),
            ("detail\0", &e.detail),
        ];
        for (name, value) in fields {
            if let Some(s) = value {
                let v = self.string(s)?;
                self.set_named(err, name, v)?;
            }
        }
        Ok(err)
    }

    /// The JS value to reject a promise with (or throw) for `e`.
    pub fn error_value(self, e: JsError) -> JsValue {
        match e {
            JsError::Db(db) => match self.error_object(&db) {
                Ok(v) => v,
                Err(_) => self.take_exception().unwrap_or(JsValue(ptr::null_mut())),
            },
            JsError::Pending => self.take_exception().unwrap_or(JsValue(ptr::null_mut())),
        }
    }

    /// Throws `e` (unless an exception is already pending).
    pub fn throw(self, e: JsError) {
        match e {
            JsError::Pending => {}
            JsError::Db(db) => match self.error_object(&db) {
                // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
                Ok(v) => unsafe {
                    napi_throw(self.0, v.0);
                },
                Err(_) => {
                    let mut pending = false;
                    // SAFETY: the `Env` invariant (see the type).
                    unsafe { napi_is_exception_pending(self.0, &mut pending) };
                    if !pending {
                        let msg = std::ffi::CString::new(db.message.replace('\0', " "))
                            .unwrap_or_default();
                        // SAFETY: the `Env` invariant; `msg` is a NUL-terminated CString.
                        unsafe { napi_throw_error(self.0, ptr::null(), msg.as_ptr()) };
                    }
                }
            },
        }
    }

    /// Clears and returns the pending exception, if any.
    pub fn take_exception(self) -> Option<JsValue> {
        let mut pending = false;
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        unsafe { napi_is_exception_pending(self.0, &mut pending) };
        if !pending {
            return None;
        }
        let mut v = ptr::null_mut();
        // SAFETY: the `Env` invariant (its call's environment, values, live out-pointers).
        unsafe { napi_get_and_clear_last_exception(self.0, &mut v) };
        Some(JsValue(v))
    }
}

fn typed_array_element_size(ty: napi_typedarray_type) -> usize {
    match ty {
        0..=2 => 1, // Int8, Uint8, Uint8Clamped
        3 | 4 => 2, // Int16, Uint16
        5..=7 => 4, // Int32, Uint32, Float32
        _ => 8,     // Float64, BigInt64, BigUint64
    }
}

/// # Safety
/// Called by Node once, when an ArrayBuffer made by `Env::arraybuffer` is collected, with the
/// `Box<Vec<u8>>` it owned as `hint`.
unsafe extern "C" fn free_vec(_env: napi_env, _data: *mut c_void, hint: *mut c_void) {
    // SAFETY: the box `arraybuffer` leaked for this buffer, freed once, here.
    drop(unsafe { Box::from_raw(hint as *mut Vec<u8>) });
}
