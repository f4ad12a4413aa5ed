//! Standard input and output for the server. When they are pipes (as an
//! editor starts a server) they are read and written directly, in
//! non-blocking mode, on the runtime's own threads: no response waits for
//! a hop through tokio's blocking thread pool, which its `stdin()` and
//! `stdout()` take for every read and write (docs/performance.md has the
//! cost). Anything else (a file, a terminal) goes through those.

use super::Destination;
use tokio::io::{AsyncRead, AsyncWrite};

pub fn input() -> Box<dyn AsyncRead + Unpin + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdin().as_fd().try_clone_to_owned();
        if let Ok(pipe) = fd.and_then(tokio::net::unix::pipe::Receiver::from_owned_fd) {
            return Box::new(pipe);
        }
    }
    Box::new(tokio::io::stdin())
}

/// Standard output: a pipe, written to directly, where it is one.
pub fn output() -> Destination<Box<dyn AsyncWrite + Unpin + Send>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdout().as_fd().try_clone_to_owned();
        let pipe = fd
            .and_then(tokio::net::unix::pipe::Sender::from_owned_fd)
            .and_then(super::Pipe::new);
        if let Ok(pipe) = pipe {
            return Destination::Pipe(pipe);
        }
    }
    Destination::Stream(Box::new(tokio::io::stdout()))
}
