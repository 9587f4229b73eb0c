//! Retry timing: exponential backoff with jitter, and `Retry-After` parsing (seconds or an
//! HTTP date). Pure functions: the caller passes the jitter draw and the current time.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Exponential backoff: `base * 2^attempt`, capped, then jittered into `[d/2, d]`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Delay before the first retry (before jitter).
    pub base: Duration,
    /// Largest delay.
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(300),
        }
    }
}

impl Backoff {
    /// Delay before retry number `attempt` (0 = first retry). `jitter` is a draw in `[0, 1)`.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let factor = 2f64.powi(attempt.min(30) as i32);
        let full = (self.base.as_secs_f64() * factor).min(self.cap.as_secs_f64());
        let j = jitter.clamp(0.0, 1.0);
        Duration::from_secs_f64(full * (0.5 + 0.5 * j))
    }
}

/// Parse a `Retry-After` value: delay-seconds or an HTTP date (IMF-fixdate, RFC 850 or asctime
/// are accepted where chrono can read them). A date in the past gives zero.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse::<u64>().ok().map(Duration::from_secs);
    }
    let date = DateTime::parse_from_rfc2822(v)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(v, "%A, %d-%b-%y %H:%M:%S GMT")
                .ok()
                .map(|n| n.and_utc())
        })
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(v, "%a %b %e %H:%M:%S %Y")
                .ok()
                .map(|n| n.and_utc())
        })?;
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

/// A tiny xorshift generator for jitter draws: a value the crawler owns (no global RNG).
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    /// Seeded generator (a zero seed is replaced by a constant).
    pub fn new(seed: u64) -> Self {
        Jitter(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// Next draw in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn backoff_math() {
        let b = Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(10),
        };
        assert_eq!(b.delay(0, 0.999_999_9).as_millis(), 999);
        assert_eq!(b.delay(0, 0.0), Duration::from_millis(500));
        assert_eq!(b.delay(2, 0.0), Duration::from_secs(2));
        assert_eq!(b.delay(3, 1.0), Duration::from_secs(8));
        assert_eq!(b.delay(10, 1.0), Duration::from_secs(10));
        assert_eq!(b.delay(u32::MAX, 1.0), Duration::from_secs(10));
        assert_eq!(b.delay(5, 0.0), Duration::from_secs(5));
    }

    #[test]
    fn jitter_in_range() {
        let mut j = Jitter::new(42);
        for _ in 0..1000 {
            let x = j.next_f64();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = Utc.with_ymd_and_hms(2015, 10, 21, 7, 28, 0).unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed Oct 21 07:28:05 2015", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }
}
