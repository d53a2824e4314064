//! A connection's socket watched by the caller's event loop instead of the engine's runtime.
//!
//! A statement's round trip otherwise costs two wake-ups: the engine's thread is woken by the
//! server's reply, reads it, and wakes the JavaScript thread to settle the promise (`pg` wakes
//! only the JavaScript thread). With an `EventLoop` (the JavaScript thread's libuv loop, see
//! `napi::socket_poll`), the socket is never registered with the engine's runtime: the event
//! loop polls it, and when it is readable runs the connection's socket task and the statements
//! it wakes right there (`runtime::drive`), so the reply is read, decoded and its promise
//! settled on the thread that was woken anyway.
//!
//! `LoopStream` is the socket: non-blocking reads and writes on the descriptor, and on
//! `WouldBlock` the task's waker kept in the `SocketWatch` and the event loop asked to watch
//! for that readiness (`EventLoop::arm`), from whichever thread polled. Once the event loop is
//! gone (its JavaScript environment ended) the stream fails with an error: the pool that owned
//! it belonged to that environment.

use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd, RawFd};
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The thread that owns a socket's readiness (Node's libuv loop). Every method may be called
/// from any thread.
pub trait EventLoop: Send + Sync + 'static {
    /// Watch `watch`'s descriptor for the readiness its wakers wait for (`WatchState`), and
    /// wake them (inside `runtime::drive`) once it is ready.
    fn arm(&self, watch: &Arc<SocketWatch>);
    /// The stream is done with the descriptor: stop watching it and close it.
    fn release(&self, watch: Arc<SocketWatch>);
    /// Wakes `waker` on the loop's thread, inside `runtime::drive`, once the work it is doing
    /// now is done (a connection's socket task: every statement queued by then goes out in one
    /// write). `false` when the loop is gone: the caller runs the task itself.
    fn schedule(&self, waker: Waker) -> bool;
}

/// One socket as its stream and its event loop share it.
pub struct SocketWatch {
    fd: RawFd,
    state: Mutex<WatchState>,
}

#[derive(Default)]
pub struct WatchState {
    /// Tasks waiting for the socket to be readable / writable.
    pub read: Option<Waker>,
    pub write: Option<Waker>,
    /// A read came back short since the socket was last seen readable: the next read would
    /// block, so it waits for the event loop instead of asking the kernel again.
    pub drained: bool,
    /// The event loop is gone (or could not watch this socket): the stream fails.
    pub dead: bool,
    /// The event loop's own record of this socket (a libuv handle), 0 when none.
    pub handle: usize,
    /// What the event loop watches for now (its own flags), so a thread other than its own
    /// asks it only when that must change.
    pub armed: u32,
}

impl SocketWatch {
    pub fn fd(&self) -> RawFd {
        self.fd
    }

    pub fn lock(&self) -> MutexGuard<'_, WatchState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A connected, non-blocking socket (TCP or Unix) whose readiness an `EventLoop` reports.
pub struct LoopStream {
    watch: Arc<SocketWatch>,
    event_loop: Arc<dyn EventLoop>,
}

enum Direction {
    Read,
    Write,
}

impl LoopStream {
    fn new(fd: OwnedFd, event_loop: Arc<dyn EventLoop>) -> LoopStream {
        LoopStream {
            watch: Arc::new(SocketWatch {
                fd: fd.into_raw_fd(),
                state: Mutex::new(WatchState::default()),
            }),
            event_loop,
        }
    }

    /// Runs `op` (a read or a write on the descriptor); on `WouldBlock`, keeps `cx`'s waker
    /// for `direction` and has the event loop watch for it.
    fn io(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut op: impl FnMut() -> isize,
    ) -> Poll<io::Result<usize>> {
        loop {
            let n = op();
            if n >= 0 {
                return Poll::Ready(Ok(n as usize));
            }
            let err = io::Error::last_os_error();
            match err.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => {}
                _ => return Poll::Ready(Err(err)),
            }
            return self.wait(cx, direction);
        }
    }

    /// Keeps `cx`'s waker for `direction` and has the event loop watch for it.
    fn wait<T>(&self, cx: &mut Context<'_>, direction: Direction) -> Poll<io::Result<T>> {
        {
            let mut state = self.watch.lock();
            if state.dead {
                return Poll::Ready(Err(gone()));
            }
            let slot = match direction {
                Direction::Read => &mut state.read,
                Direction::Write => &mut state.write,
            };
            if !slot.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *slot = Some(cx.waker().clone());
            }
        }
        self.event_loop.arm(&self.watch);
        Poll::Pending
    }
}

fn gone() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "the JavaScript environment that opened this connection has ended",
    )
}

impl AsyncRead for LoopStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let fd = self.watch.fd;
        let want = buf.remaining();
        if self.watch.lock().drained {
            return self.wait(cx, Direction::Read);
        }
        // SAFETY: the unfilled part of `buf` is writable memory of that length; `read` writes at
        // most that many bytes and says how many, which are then marked initialized and filled.
        let unfilled = unsafe { buf.unfilled_mut() };
        let (ptr, len) = (unfilled.as_mut_ptr(), unfilled.len());
        // SAFETY: `fd` is this stream's open descriptor (closed only by `release`, after the
        // stream is dropped), `ptr`/`len` the writable region above.
        let read = self.io(cx, Direction::Read, || unsafe {
            libc::read(fd, ptr as *mut libc::c_void, len)
        });
        match read {
            Poll::Ready(Ok(n)) => {
                // SAFETY: `read` initialized the first `n` bytes of the unfilled region.
                unsafe { buf.assume_init(n) };
                buf.advance(n);
                if n > 0 && n < want {
                    self.watch.lock().drained = true;
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for LoopStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let fd = self.watch.fd;
        // SAFETY: as for `read`; MSG_NOSIGNAL: a closed peer is an EPIPE error, not a signal.
        self.io(cx, Direction::Write, || unsafe {
            libc::send(
                fd,
                data.as_ptr() as *const libc::c_void,
                data.len(),
                libc::MSG_NOSIGNAL,
            )
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // SAFETY: this stream's open descriptor (see `poll_read`).
        unsafe { libc::shutdown(self.watch.fd, libc::SHUT_WR) };
        Poll::Ready(Ok(()))
    }
}

impl Drop for LoopStream {
    fn drop(&mut self) {
        self.event_loop.release(self.watch.clone());
    }
}

/// Opens the socket to `host` (a name or address, or a Unix socket directory when `unix`) and
/// `port` as tokio-postgres would (TCP_NODELAY, keepalives after 2 hours idle; every address
/// the name resolves to, each within `timeout`), and hands it to `event_loop`.
pub async fn connect(
    host: &str,
    unix: bool,
    port: u16,
    timeout: Option<Duration>,
    event_loop: Arc<dyn EventLoop>,
) -> io::Result<LoopStream> {
    let fd: OwnedFd = if unix {
        let path = Path::new(host).join(format!(".s.PGSQL.{port}"));
        let stream = within(timeout, tokio::net::UnixStream::connect(path)).await?;
        stream.into_std()?.into()
    } else {
        let mut last = None;
        let mut found = None;
        for addr in tokio::net::lookup_host((host, port)).await? {
            match within(timeout, tokio::net::TcpStream::connect(addr)).await {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    found = Some(stream.into_std()?);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = found.ok_or_else(|| {
            last.unwrap_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "could not resolve any addresses",
                )
            })
        })?;
        keepalive(stream.as_raw_fd())?;
        stream.into()
    };
    Ok(LoopStream::new(fd, event_loop))
}

async fn within<T>(
    timeout: Option<Duration>,
    connect: impl std::future::Future<Output = io::Result<T>>,
) -> io::Result<T> {
    match timeout {
        None => connect.await,
        Some(limit) => tokio::time::timeout(limit, connect)
            .await
            .unwrap_or_else(|_| {
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection timed out",
                ))
            }),
    }
}

/// TCP keepalives after 2 hours idle (tokio-postgres' default, `keepalives_idle`).
fn keepalive(fd: RawFd) -> io::Result<()> {
    let set = |level, name, value: libc::c_int| {
        // SAFETY: `fd` is an open socket; the option value is a live `c_int` of the size given.
        let status = unsafe {
            libc::setsockopt(
                fd,
                level,
                name,
                &value as *const libc::c_int as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if status == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    };
    set(libc::SOL_SOCKET, libc::SO_KEEPALIVE, 1)?;
    set(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, 2 * 60 * 60)
}
