//! The thin Node-API layer: the only code in the crate that knows about Node. Hand-written
//! `extern "C"` bindings (`sys`), typed wrappers shaped like napi-rs so the layer can be swapped
//! for it where the crates registry is reachable, and the exported functions.
//!
//! # API for export modules (stable: `napi/sqlite.rs` and `napi/pg.rs` build on it)
//!
//! - **Exports.** Write `fn name(env: Env, args: &Args) -> JsResult<JsValue>` and list it as
//!   `export!("jsName", name)` in the module's `pub const EXPORTS: &[Export]`; add the module to
//!   `MODULES` below. `export::call` reads the arguments (`args.get(env, i)`, `undefined` past
//!   the end), catches panics and throws `Err`s: a panic becomes a JS error of kind "internal",
//!   never an abort.
//! - **Values** (`env.rs`): `env.undefined() / null() / boolean / double / uint32 / bigint /
//!   string (latin1 when ASCII) / string_utf8 / object / array / string_array / arraybuffer(Vec)
//!   (takes the Vec without copying from 64 KiB up) / uint8array(&[u8])`; readers `type_of,
//!   get_f64, get_u32, get_bool, get_bigint_i64, get_string, get_bytes (borrowed typed-array
//!   bytes), is_array, array_len, get_element, set_element, get_named, set_named`.
//! - **Errors.** `JsError::Db(DbError)` is thrown (or rejected) as a JS `Error` whose message
//!   is `DbError::message` and which carries `kind` ("connection", "database", "bind", …) and,
//!   when set, `code`, `constraint`, `table`, `column`, `detail` (`Env::error_object`).
//!   `JsError::Pending` means a JS exception is already pending; just return it.
//!   `From<DbError>` lets `?` work on `DbResult`.
//! - **Handles** (`handle.rs`): `impl Handle for T { const TAG: u64 = <random>; const NAME }`,
//!   then `env.create_handle(value)` gives JavaScript an external owning `value`, and
//!   `env.unwrap_handle::<T>(args.get(env, 0)?)?` gets `&T` back (tag-checked). Dropped when the
//!   external is collected; `close` exports should release resources themselves.
//! - **Parameters** (`convert::params`): a JS array → `Vec<Value>`; a bigint wider than 64
//!   bits, `undefined`, a plain object or a nested array is a "bind" error naming the 1-based
//!   parameter position (never the value).
//! - **Result sets** (`convert::result(env, encoded, with_columns)`): JavaScript receives
//!   `[buffer: ArrayBuffer, text: string, rows: number, columns?: string[]]` — the
//!   `columnar.rs` layout in `buffer`, every TEXT/JSON cell in `text` (a one-byte string when
//!   ASCII). runtime/driver/native/reader.ts reads it.
//! - **Small results without an ArrayBuffer each** (`arena.rs`): a handle can keep an `Arena`
//!   (a JS-owned ArrayBuffer) and `place` results in it; JavaScript then gets only the text
//!   string back and finds offset and row count in the arena's header.
//! - **Promises from other threads** (`completion.rs`): on the JS thread
//!   `let (promise, done) = completion::promise(env)?;`, return `promise`, move `done`
//!   (`Send`) to a tokio task or thread, and call one of `done.resolve_result(encoded,
//!   with_columns)`, `resolve_number(n)`, `resolve_undefined()`, `reject(db_error)` or
//!   `settle(|env| …)`. Completions are coalesced into one JS-thread callback per burst; the
//!   process stays alive only while promises are pending; a `Completion` dropped unsettled
//!   rejects with kind "internal".
//! - **Panics on other threads**: wrap work in `std::panic::catch_unwind` and report
//!   `export::panic_error(payload)`, or just let the `Completion` drop.

pub mod arena;
pub mod completion;
pub mod convert;
pub mod env;
pub mod export;
pub mod handle;
mod pg;
mod pg_copy;
mod socket_poll;
mod sqlite;
pub mod sys;
#[cfg(feature = "testing")]
mod testing;

use std::ffi::c_char;
use std::ptr;

use env::Env;
use export::Export;
use sys::*;

/// Every module's exports, registered on the addon's `exports` object. One line per module:
/// the Postgres engine adds `pg::EXPORTS` here (with `mod pg;` above).
#[cfg(not(feature = "testing"))]
const MODULES: &[&[Export]] = &[sqlite::EXPORTS, pg::EXPORTS, pg_copy::EXPORTS];

/// The test build (`--features testing`) adds the test-only exports.
#[cfg(feature = "testing")]
const MODULES: &[&[Export]] = &[
    sqlite::EXPORTS,
    pg::EXPORTS,
    pg_copy::EXPORTS,
    testing::EXPORTS,
];

/// Node's entry point for a Node-API addon (the `.node` file's only required symbol).
///
/// # Safety
/// Called by Node with a valid environment and exports object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: napi_env, exports: napi_value) -> napi_value {
    // SAFETY: Node's environment for this call, on its thread (this function's contract).
    let env = unsafe { Env::from_raw(env) };
    let result = export::catch_panic(|| {
        let props: Vec<napi_property_descriptor> = MODULES
            .iter()
            .flat_map(|m| m.iter())
            .map(|e| napi_property_descriptor {
                utf8name: e.name.as_ptr() as *const c_char,
                name: ptr::null_mut(),
                method: Some(e.callback),
                getter: None,
                setter: None,
                value: ptr::null_mut(),
                attributes: NAPI_ENUMERABLE,
                data: ptr::null_mut(),
            })
            .collect();
        // SAFETY: `exports` is the object Node passed; every descriptor's `utf8name` is a
        // NUL-terminated static string (`export!` appends the NUL) and `method` an export.
        env.check(unsafe {
            napi_define_properties(env.raw(), exports, props.len(), props.as_ptr())
        })
    });
    if let Err(e) = result {
        env.throw(e);
    }
    exports
}
