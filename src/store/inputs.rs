//! The inputs of one job: `--inputs FILE` lists and `--shard I/N`, the deterministic split of
//! the sorted input list into N contiguous parts for N independent jobs.

use std::path::Path;
use std::str::FromStr;

/// Part `index` of `count` (0-based: `0/4` … `3/4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, `0..count`.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || format!("--shard {s:?}: expected I/N with 0 <= I < N, e.g. 0/4 … 3/4");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: usize = i.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The items of this part: the list cut into `count` contiguous runs whose sizes differ by
    /// at most one, so part 0, part 1, … in order are the whole list in order.
    pub fn pick<T>(&self, items: Vec<T>) -> Vec<T> {
        let (start, end) = self.bounds(items.len());
        items.into_iter().skip(start).take(end - start).collect()
    }

    /// `[start, end)` of this part in a list of `len` items.
    pub fn bounds(&self, len: usize) -> (usize, usize) {
        (
            len * self.index / self.count,
            len * (self.index + 1) / self.count,
        )
    }

    /// Is this the first part (the one that writes a CSV header)?
    pub fn is_first(&self) -> bool {
        self.index == 0
    }
}

/// The inputs listed in `path` (`-` for standard input): one path or URL per line; blank
/// lines and lines starting with `#` are skipped, surrounding spaces trimmed.
pub fn read_inputs_file(path: &Path) -> std::io::Result<Vec<String>> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(path)?
    };
    Ok(parse_inputs(&text))
}

/// The inputs of an `--inputs` text.
pub fn parse_inputs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_list_in_order() {
        let items: Vec<u32> = (0..10).collect();
        for n in 1..=12 {
            let mut all = Vec::new();
            for i in 0..n {
                let part = Shard { index: i, count: n }.pick(items.clone());
                assert!(part.len() <= 10 / n + 1);
                all.extend(part);
            }
            assert_eq!(all, items, "{n} shards");
        }
    }

    #[test]
    fn parse_shard() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["4/4", "1/0", "x/2", "3", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert!("4/4".parse::<Shard>().unwrap_err().contains("0/4"));
    }

    #[test]
    fn inputs_text() {
        let t = "# CC-NEWS May\n s3://b/a.warc.gz \n\nlocal/x.warc.zst\n";
        assert_eq!(
            parse_inputs(t),
            vec!["s3://b/a.warc.gz", "local/x.warc.zst"]
        );
    }
}
