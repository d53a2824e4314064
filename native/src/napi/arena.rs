//! An arena for small results: a JavaScript-owned ArrayBuffer that results are written into
//! back to back, so a point query creates no ArrayBuffer (V8 spends about 0.35 µs creating
//! one, more than SQLite spends finding the row) and the reader's typed-array views over the
//! arena are made once per arena, not once per result.
//!
//! The first 16 bytes are a header of four little-endian u32s that JavaScript reads after a
//! call that placed a result:
//!
//! ```text
//! [0] byte offset of the last result placed (a multiple of 8)
//! [1] its row count
//! [2] 1 once a result did not fit: attach a fresh arena (this one stays valid for readers)
//! [3] reserved (0)
//! ```
//!
//! Results larger than an eighth of the arena are never placed (they get their own buffer).
//! Bytes once written are never written again, so readers of earlier results stay valid for
//! as long as they hold the ArrayBuffer. Only the JavaScript thread touches an arena.

use std::ffi::c_void;
use std::ptr;

use super::env::{Env, JsError, JsResult, JsValue};
use super::sys::*;
use crate::columnar::ResultBuilder;

pub const HEADER: usize = 16;

pub struct Arena {
    /// Keeps the ArrayBuffer alive while its memory is written into.
    reference: napi_ref,
    data: *mut u8,
    len: usize,
    used: usize,
}

impl Default for Arena {
    fn default() -> Self {
        Arena {
            reference: ptr::null_mut(),
            data: ptr::null_mut(),
            len: 0,
            used: 0,
        }
    }
}

impl Arena {
    /// Starts writing into `buffer` (an ArrayBuffer of at least 1 KiB), letting go of the
    /// previous one.
    pub fn attach(&mut self, env: Env, buffer: JsValue) -> JsResult<()> {
        let mut data: *mut c_void = ptr::null_mut();
        let mut len = 0usize;
        // SAFETY: `env` is the current call's environment (see `Env`), `buffer` a value of that
        // call, and `data` / `len` live out-pointers; a non-ArrayBuffer fails with a status.
        env.check(unsafe {
            napi_get_arraybuffer_info(env.raw(), buffer.raw(), &mut data, &mut len)
        })?;
        if len < 1024 || data.is_null() || (data as usize) & 7 != 0 {
            return Err(JsError::argument(
                "an arena is an ArrayBuffer of at least 1 KiB",
            ));
        }
        let mut reference = ptr::null_mut();
        // SAFETY: as above; the reference keeps the ArrayBuffer (and so `data`) alive until
        // `release` deletes it.
        env.check(unsafe { napi_create_reference(env.raw(), buffer.raw(), 1, &mut reference) })?;
        self.release(env);
        *self = Arena {
            reference,
            data: data as *mut u8,
            len,
            used: HEADER,
        };
        self.header_mut().fill(0);
        Ok(())
    }

    /// Lets go of the ArrayBuffer (JavaScript may still hold it).
    pub fn release(&mut self, env: Env) {
        if !self.reference.is_null() {
            // SAFETY: `reference` was created by `attach` in this environment and is deleted
            // once (it is reset to null with the rest of the arena right after).
            unsafe { napi_delete_reference(env.raw(), self.reference) };
        }
        *self = Arena::default();
    }

    /// Writes `result` into the arena and records where in the header; false when there is no
    /// arena or no room (then the header's "full" word is set if a fresh arena would help).
    pub fn place(&mut self, result: &ResultBuilder) -> bool {
        if self.data.is_null() {
            return false;
        }
        let need = result.byte_len();
        if need > self.len / 8 {
            return false;
        }
        let start = (self.used + 7) & !7;
        if start + need > self.len {
            self.header_mut()[2] = 1;
            return false;
        }
        // SAFETY: `data` is the attached ArrayBuffer's memory (kept alive by `reference`), and
        // `start + need <= len`.
        let out = unsafe { std::slice::from_raw_parts_mut(self.data.add(start), need) };
        result.write_into(out);
        self.used = start + need;
        let header = self.header_mut();
        header[0] = start as u32;
        header[1] = result.rows() as u32;
        true
    }

    fn header_mut(&mut self) -> &mut [u32] {
        // SAFETY: the arena is at least 1 KiB and 8-aligned; little-endian targets only (x86-64,
        // aarch64), as the whole result encoding.
        unsafe { std::slice::from_raw_parts_mut(self.data as *mut u32, 4) }
    }
}
