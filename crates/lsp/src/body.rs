//! What a message's body is made of: bytes, and JSON made as it is written
//! ([`DeferredJson`]), so that a huge result waits for the writer in a
//! compact form (the locations of a name mentioned 266,000 times: 9 MB of
//! positions and URIs rather than 35 MB of JSON). Handlers make them
//! (`server::to_proto`), the transport writes them.

use std::io::{Result, Write};

/// A piece of a message's body.
pub enum Segment {
    /// Bytes, written as they are.
    Bytes(Vec<u8>),
    /// JSON made as it is written.
    Deferred(Box<dyn DeferredJson>),
}

/// JSON that the output makes while writing it, so that a huge result is
/// held in a compact form until then (the locations of a name mentioned
/// 266,000 times: 5 MB of positions rather than 35 MB of JSON).
pub trait DeferredJson: Send {
    /// The bytes [`DeferredJson::write_to`] writes, exactly (the frame's
    /// `Content-Length` is written first).
    fn byte_len(&self) -> usize;
    fn write_to(&self, out: &mut dyn Write) -> Result<()>;
}

impl From<Vec<u8>> for Segment {
    fn from(bytes: Vec<u8>) -> Segment {
        Segment::Bytes(bytes)
    }
}

impl Segment {
    /// The bytes the segment writes.
    pub fn byte_len(&self) -> usize {
        match self {
            Segment::Bytes(b) => b.len(),
            Segment::Deferred(d) => d.byte_len(),
        }
    }

    pub fn write_to(&self, out: &mut dyn Write) -> Result<()> {
        match self {
            Segment::Bytes(b) => out.write_all(b),
            Segment::Deferred(d) => {
                let mut counted = Counted { out, n: 0 };
                d.write_to(&mut counted)?;
                // A wrong length would garble every later message.
                debug_assert_eq!(counted.n, d.byte_len(), "deferred JSON of the wrong length");
                if counted.n != d.byte_len() {
                    tracing::error!(
                        "deferred JSON: {} bytes written, {} announced",
                        counted.n,
                        d.byte_len()
                    );
                }
                Ok(())
            }
        }
    }

    /// `segments` as one buffer (tests).
    pub fn concat(segments: &[Segment]) -> Vec<u8> {
        let mut out = Vec::new();
        for s in segments {
            s.write_to(&mut out).expect("a Vec takes every write");
        }
        out
    }
}

/// A writer that counts what goes through it.
struct Counted<'a> {
    out: &'a mut dyn Write,
    n: usize,
}

impl Write for Counted<'_> {
    fn write(&mut self, b: &[u8]) -> Result<usize> {
        let n = self.out.write(b)?;
        self.n += n;
        Ok(n)
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush()
    }
}
