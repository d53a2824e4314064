//! WAL checkpoints off the JavaScript thread.
//!
//! SQLite's automatic checkpoint runs inside the commit that grows the write-ahead log past
//! 1 000 pages: that commit copies the log into the database and syncs both files, which on a
//! loaded disk costs milliseconds — paid by whichever statement happened to commit, on the
//! JavaScript thread. A file database opened here instead gets a checkpointer: its own
//! connection to the same file on its own thread. The writing connection's WAL hook (which
//! replaces the automatic checkpoint; SQLite has one hook per connection) only flags the
//! checkpointer once the log holds 1 000 pages, and again every 250 pages it grows (not after
//! every commit: each run syncs both files); the checkpointer runs a PASSIVE checkpoint, which never blocks the writer nor waits for readers.
//! Its connection reads the database once first: a connection that has never read finds no log,
//! and its checkpoint copies nothing while reporting success. The log starts over from its beginning
//! only once all of it was copied, which a checkpoint beside a busy writer never sees; so at
//! 2 000 pages the writer copies the little that is left itself, between two transactions, and
//! its next commit starts the log over: the log stays within twice SQLite's usual size, and
//! the writer's own checkpoints find most pages copied and synced already. Closing stops the
//! checkpointer first, so the last connection to close is the writer, which checkpoints what is left and removes the log as before.
//!
//! A checkpointer that cannot start (its connection fails to open) leaves the automatic
//! checkpoint in place: nothing is lost but the speed.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{ffi, Connection, OpenFlags};

/// Pages in the log that call for a checkpoint: SQLite's own default.
pub const CHECKPOINT_PAGES: c_int = 1000;

/// Past CHECKPOINT_PAGES, the checkpointer is asked again each time the log has grown by this
/// many pages: each run syncs both files, so one run per commit would sync after every commit,
/// while one run per log would leave half the log for the writer to copy at 2 000 pages.
const ASK_EVERY_PAGES: c_int = 250;

#[derive(Default)]
struct State {
    /// The log reached CHECKPOINT_PAGES since the last checkpoint started.
    wanted: bool,
    /// The checkpointer is copying (the writer at twice the threshold waits for it to finish).
    running: bool,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    /// Set by the hook when it asks for a checkpoint, cleared when the checkpointer takes the
    /// request: commits in between only read this flag, instead of taking the lock and waking
    /// the thread after every commit.
    asked: AtomicBool,
    /// The log's size (in ASK_EVERY_PAGES steps) when the hook last asked; 0 while the log is
    /// below CHECKPOINT_PAGES (it started over). Only the writer's hook reads and writes it.
    asked_at: AtomicI32,
}

impl Shared {
    fn update(&self, f: impl FnOnce(&mut State)) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut state);
        // Both sides wait on `wake`: the checkpointer for work, the writer for a run to end.
        self.wake.notify_all();
    }

    /// Called by the writer: no new run starts, and the one in progress (if any) has ended.
    /// The request it drops is asked again by the first commit past CHECKPOINT_PAGES of the
    /// log started over (else the hook, seeing `asked`, would never wake the checkpointer again).
    fn wait_idle(&self) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.wanted = false;
        self.asked.store(false, Ordering::Release);
        while state.running {
            state = self.wake.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// The checkpointer of one writing connection (see the module comment).
pub struct Checkpointer {
    shared: Arc<Shared>,
    /// The writing connection, whose WAL hook points at `shared` until `stop`.
    writer: *mut ffi::sqlite3,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the checkpointer of `writer`, a connection to `filename` in WAL mode. `None` when
    /// its connection or thread cannot start: `writer` keeps SQLite's automatic checkpoint.
    pub fn start(
        writer: &Connection,
        filename: &str,
        busy_timeout_ms: u32,
    ) -> Option<Checkpointer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(filename, flags).ok()?;
        conn.busy_timeout(Duration::from_millis(busy_timeout_ms as u64))
            .ok()?;
        let shared = Arc::new(Shared::default());
        let theirs = shared.clone();
        let thread = std::thread::Builder::new()
            .name("yara-sqlite-checkpoint".into())
            .spawn(move || checkpoint_loop(conn, &theirs))
            .ok()?;
        // SAFETY: `writer` is open and used on this thread; the hook's argument is `shared`,
        // which `self` keeps alive until `stop` has removed the hook again (see Drop).
        let handle = unsafe { writer.handle() };
        // SAFETY: as above.
        unsafe {
            ffi::sqlite3_wal_hook(handle, Some(wal_hook), Arc::as_ptr(&shared) as *mut c_void);
        }
        Some(Checkpointer {
            shared,
            writer: handle,
            thread: Some(thread),
        })
    }

    /// Removes the hook (the writer checkpoints on its own again) and waits for the
    /// checkpointer to finish and close its connection.
    fn stop(&mut self) {
        if let Some(thread) = self.thread.take() {
            // SAFETY: the writer is still open (Database drops the checkpointer before its
            // connection); restoring SQLite's automatic checkpoint removes our hook.
            unsafe {
                ffi::sqlite3_wal_autocheckpoint(self.writer, CHECKPOINT_PAGES);
            }
            self.shared.update(|s| s.stop = true);
            let _ = thread.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Called by SQLite after each commit of the writer with the pages in the log. Never fails
/// the commit: it flags the checkpointer, or finishes its work (see below).
unsafe extern "C" fn wal_hook(
    arg: *mut c_void,
    db: *mut ffi::sqlite3,
    _name: *const c_char,
    pages: c_int,
) -> c_int {
    if pages >= 2 * CHECKPOINT_PAGES {
        // A checkpoint running beside a busy writer never reaches the log's end, and the log
        // starts over only once all of it was copied. So at twice the threshold the writer
        // finishes here, between two of its transactions, what the checkpointer copied most of
        // already. PASSIVE answers SQLITE_BUSY at once while the checkpointer is at it: the
        // writer then waits for that run to end (a slow disk would otherwise let the log grow
        // by all the writer commits meanwhile) and copies the rest.
        // SAFETY: `db` is the writer, calling this hook on its own thread after a commit, as
        // SQLite's own automatic checkpoint does; `arg` is the `Shared` the Checkpointer keeps
        // alive while the hook is set.
        unsafe {
            if passive_checkpoint(db) == ffi::SQLITE_BUSY {
                (*(arg as *const Shared)).wait_idle();
                passive_checkpoint(db);
            }
        }
    } else {
        // SAFETY: `arg` is the `Shared` the Checkpointer keeps alive while the hook is set.
        let shared = unsafe { &*(arg as *const Shared) };
        let step = if pages >= CHECKPOINT_PAGES {
            pages / ASK_EVERY_PAGES
        } else {
            0
        };
        if step != shared.asked_at.load(Ordering::Relaxed) {
            shared.asked_at.store(step, Ordering::Relaxed);
            if step > 0 && !shared.asked.swap(true, Ordering::AcqRel) {
                shared.update(|s| s.wanted = true);
            }
        }
    }
    ffi::SQLITE_OK
}

fn checkpoint_loop(conn: Connection, shared: &Shared) {
    let mut opened = false;
    loop {
        {
            let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
            while !state.wanted && !state.stop {
                state = shared.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            if state.stop {
                return;
            }
            state.wanted = false;
            state.running = true;
            // A commit from now on may ask again: the log may grow past what this run copies.
            shared.asked.store(false, Ordering::Release);
        }
        // A connection finds the log only when it first reads the database; until then a
        // checkpoint on it copies nothing and reports success. A read opens it (and after a
        // failure, such as the file being locked past the busy timeout, the next run tries
        // again). PASSIVE copies what it can without waiting for readers or blocking the
        // writer; SQLITE_BUSY (the writer checkpointing) only means the next flag tries again.
        if !opened {
            opened = conn
                .query_row("PRAGMA schema_version", [], |_| Ok(()))
                .is_ok();
        }
        if opened {
            // SAFETY: this thread's own open connection.
            unsafe { passive_checkpoint(conn.handle()) };
        }
        shared.update(|s| s.running = false);
    }
}

/// A PASSIVE checkpoint of `db`'s main database; SQLite's result code.
///
/// # Safety
/// `db` is an open connection, used on the calling thread only for the call's duration.
unsafe fn passive_checkpoint(db: *mut ffi::sqlite3) -> c_int {
    // SAFETY: as the caller promises.
    unsafe {
        ffi::sqlite3_wal_checkpoint_v2(
            db,
            std::ptr::null(),
            ffi::SQLITE_CHECKPOINT_PASSIVE,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    }
}
