//! A sliding read window over a file (or any byte stream): the reader's buffer, refilled in
//! large chunks.

use std::io::Read;

/// Read size of one refill.
pub(crate) const CHUNK: usize = 1 << 20;

/// A sliding window over a file or another byte stream.
pub(crate) struct Window {
    pub(crate) source: Box<dyn Read + Send>,
    pub(crate) buf: Vec<u8>,
    pub(crate) start: usize,
    pub(crate) base: u64,
    pub(crate) eof: bool,
}

impl Window {
    pub(crate) fn avail(&self) -> &[u8] {
        &self.buf[self.start..]
    }
    pub(crate) fn pos(&self) -> u64 {
        self.base + self.start as u64
    }
    pub(crate) fn advance(&mut self, n: usize) {
        self.start = (self.start + n).min(self.buf.len());
    }
    /// Make at least `min` bytes available (fewer only at end of file).
    pub(crate) fn fill(&mut self, min: usize) -> std::io::Result<()> {
        if self.avail().len() >= min || self.eof {
            return Ok(());
        }
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.base += self.start as u64;
            self.start = 0;
        }
        while self.buf.len() < min && !self.eof {
            let want = (min - self.buf.len()).clamp(CHUNK, 64 * CHUNK);
            let old = self.buf.len();
            self.buf.resize(old + want, 0);
            let mut got = 0;
            while got < want {
                let n = self.source.read(&mut self.buf[old + got..])?;
                if n == 0 {
                    self.eof = true;
                    break;
                }
                got += n;
            }
            self.buf.truncate(old + got);
        }
        Ok(())
    }
}
