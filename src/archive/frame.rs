//! zstd framing as in the IIPC "WARC Zstandard" proposal: one frame per record, skippable
//! frames (an optional dictionary, magic 0x184D2A5D, at the file start) and a frame scanner
//! that finds frame boundaries from the block headers without decompressing.

/// Magic number of a zstd frame, as bytes in file order.
pub const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];
/// Magic of the skippable frame holding a dictionary (WARC Zstandard proposal).
pub const DICT_MAGIC: u32 = 0x184D_2A5D;
/// gzip member magic.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// What sits at the start of a byte slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameScan {
    /// A whole zstd frame of `len` bytes; `content_size` from its header if present.
    Zstd {
        /// Compressed length of the frame.
        len: usize,
        /// Frame_Content_Size, if the header has it.
        content_size: Option<u64>,
    },
    /// A whole skippable frame of `len` bytes (header included) with this magic.
    Skippable {
        /// Total length including the 8-byte header.
        len: usize,
        /// The magic number (0x184D2A50..=0x184D2A5F).
        magic: u32,
    },
    /// The slice ends inside the frame; at least `need` bytes in all are needed.
    NeedMore {
        /// Minimum total length to try again with.
        need: usize,
    },
    /// Not a frame, or a frame with an impossible header.
    Bad(String),
}

fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// Is this magic number a skippable frame's?
pub fn is_skippable_magic(m: u32) -> bool {
    (0x184D_2A50..=0x184D_2A5F).contains(&m)
}

/// Find the extent of the frame at the start of `buf` by walking its block headers.
pub fn scan_frame(buf: &[u8]) -> FrameScan {
    if buf.len() < 8 {
        return FrameScan::NeedMore { need: 8 };
    }
    let magic = le32(buf);
    if is_skippable_magic(magic) {
        let len = 8 + le32(&buf[4..]) as usize;
        return if buf.len() >= len {
            FrameScan::Skippable { len, magic }
        } else {
            FrameScan::NeedMore { need: len }
        };
    }
    if buf[..4] != ZSTD_MAGIC {
        return FrameScan::Bad(format!("no zstd magic (found {:02x?})", &buf[..4]));
    }
    let fhd = buf[4];
    if fhd & 0x08 != 0 {
        return FrameScan::Bad("reserved bit set in frame header".into());
    }
    let fcs_flag = fhd >> 6;
    let single = fhd & 0x20 != 0;
    let checksum = fhd & 0x04 != 0;
    let did_size = [0usize, 1, 2, 4][(fhd & 3) as usize];
    let fcs_size = match fcs_flag {
        0 => usize::from(single),
        1 => 2,
        2 => 4,
        _ => 8,
    };
    let mut p = 5 + usize::from(!single) + did_size;
    if buf.len() < p + fcs_size {
        return FrameScan::NeedMore {
            need: p + fcs_size + 3,
        };
    }
    let content_size = match fcs_size {
        0 => None,
        1 => Some(u64::from(buf[p])),
        2 => Some(u64::from(u16::from_le_bytes([buf[p], buf[p + 1]])) + 256),
        4 => Some(u64::from(le32(&buf[p..]))),
        _ => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&buf[p..p + 8]);
            Some(u64::from_le_bytes(b))
        }
    };
    p += fcs_size;
    loop {
        if buf.len() < p + 3 {
            return FrameScan::NeedMore { need: p + 3 };
        }
        let bh = u32::from(buf[p]) | (u32::from(buf[p + 1]) << 8) | (u32::from(buf[p + 2]) << 16);
        let last = bh & 1 != 0;
        let btype = (bh >> 1) & 3;
        let bsize = (bh >> 3) as usize;
        let payload = match btype {
            0 | 2 => bsize,
            1 => 1,
            _ => return FrameScan::Bad(format!("reserved block type at frame byte {p}")),
        };
        if bsize > 128 * 1024 {
            return FrameScan::Bad(format!("block larger than 128 KiB at frame byte {p}"));
        }
        p += 3 + payload;
        if last {
            break;
        }
    }
    if checksum {
        p += 4;
    }
    if buf.len() < p {
        return FrameScan::NeedMore { need: p };
    }
    FrameScan::Zstd {
        len: p,
        content_size,
    }
}

/// A skippable frame holding `data` with the given magic.
pub fn skippable_frame(magic: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + data.len());
    out.extend_from_slice(&magic.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// The dictionary carried by a dictionary skippable frame's data: raw, or itself a zstd frame,
/// at most [`super::inflate::MAX_DICTIONARY`] bytes either way.
pub fn dictionary_from_frame_data(data: &[u8]) -> Result<Vec<u8>, String> {
    super::inflate::dictionary_capped(data, super::inflate::MAX_DICTIONARY)
}

/// A reusable per-record compressor: one frame per call, with content size and checksum.
pub struct FrameCompressor {
    ctx: zstd::bulk::Compressor<'static>,
}

impl FrameCompressor {
    /// A compressor at `level`, optionally with a dictionary.
    pub fn new(level: i32, dictionary: Option<&[u8]>) -> std::io::Result<Self> {
        use zstd::zstd_safe::CParameter;
        let mut ctx = match dictionary {
            Some(d) => zstd::bulk::Compressor::with_dictionary(level, d)?,
            None => zstd::bulk::Compressor::new(level)?,
        };
        ctx.set_parameter(CParameter::ChecksumFlag(true))?;
        ctx.set_parameter(CParameter::ContentSizeFlag(true))?;
        Ok(FrameCompressor { ctx })
    }

    /// Compress `data` into one frame, replacing the contents of `out`.
    pub fn compress_into(&mut self, data: &[u8], out: &mut Vec<u8>) -> std::io::Result<()> {
        out.clear();
        out.reserve(zstd::zstd_safe::compress_bound(data.len()));
        self.ctx.compress_to_buffer(data, out)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_real_frames() {
        let mut c = FrameCompressor::new(3, None).unwrap();
        let data: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut f = Vec::new();
        c.compress_into(&data, &mut f).unwrap();
        match scan_frame(&f) {
            FrameScan::Zstd { len, content_size } => {
                assert_eq!(len, f.len());
                assert_eq!(content_size, Some(data.len() as u64));
            }
            other => panic!("{other:?}"),
        }
        for cut in [0, 3, 7, f.len() / 2, f.len() - 1] {
            assert!(
                matches!(scan_frame(&f[..cut]), FrameScan::NeedMore { .. }),
                "cut {cut}"
            );
        }
        let small = {
            let mut v = Vec::new();
            c.compress_into(b"x", &mut v).unwrap();
            v
        };
        assert!(matches!(scan_frame(&small), FrameScan::Zstd { len, .. } if len == small.len()));
        assert!(matches!(scan_frame(b"WARC/1.1\r\n\r\n"), FrameScan::Bad(_)));
        let sk = skippable_frame(DICT_MAGIC, b"dict");
        assert_eq!(
            scan_frame(&sk),
            FrameScan::Skippable {
                len: 12,
                magic: DICT_MAGIC
            }
        );
    }
}
