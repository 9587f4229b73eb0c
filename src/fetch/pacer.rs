//! Per-origin politeness: a governor rate limiter (one request per interval, no burst), the
//! interval never shorter than robots.txt `Crawl-delay`, and pauses after failures or
//! `Retry-After`.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::time::Instant;

/// The pacing of one origin. Owned by whoever fetches from that origin (one at a time).
pub struct Pacer {
    limiter: DefaultDirectRateLimiter,
    interval: Duration,
    paused_until: Option<Instant>,
    last_done: Option<Instant>,
    /// Consecutive failed requests (connect errors, timeouts, 5xx, 429).
    pub failures: u32,
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pacer")
            .field("interval", &self.interval)
            .field("paused_until", &self.paused_until)
            .field("failures", &self.failures)
            .finish()
    }
}

fn limiter(interval: Duration) -> DefaultDirectRateLimiter {
    let q = Quota::with_period(interval.max(Duration::from_nanos(1)))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::MIN);
    RateLimiter::direct(q)
}

impl Pacer {
    /// A pacer allowing one request per `interval`. A zero interval disables pacing.
    pub fn new(interval: Duration) -> Pacer {
        Pacer {
            limiter: limiter(interval),
            interval,
            paused_until: None,
            last_done: None,
            failures: 0,
        }
    }

    /// The current interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Raise the interval to at least `min` (robots.txt `Crawl-delay`). Called right after a
    /// request, so the new limiter counts that request as the last one.
    pub fn at_least(&mut self, min: Duration) {
        if min > self.interval {
            self.interval = min;
            self.limiter = limiter(min);
            // Consume the first cell now: the request just made counts.
            let _ = self.limiter.check();
        }
    }

    /// Fetch nothing from this origin before `now + d` (a pause never shortens an earlier one).
    pub fn pause_for(&mut self, d: Duration) {
        let until = Instant::now() + d;
        if self.paused_until.is_none_or(|p| p < until) {
            self.paused_until = Some(until);
        }
    }

    /// When the origin is paused until, if it is.
    pub fn paused_until(&self) -> Option<Instant> {
        self.paused_until.filter(|p| *p > Instant::now())
    }

    /// Note that a request finished: the next one waits a full interval from now, so the
    /// server sees gaps of at least the interval whatever the connection setup time.
    pub fn done(&mut self) {
        self.last_done = Some(Instant::now());
    }

    /// Wait until a request may be sent now.
    pub async fn ready(&mut self) {
        if let Some(p) = self.paused_until.take() {
            tokio::time::sleep_until(p).await;
        }
        if let Some(d) = self.last_done {
            tokio::time::sleep_until(d + self.interval).await;
        }
        if !self.interval.is_zero() {
            self.limiter.until_ready().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn spacing_and_crawl_delay() {
        let mut p = Pacer::new(Duration::from_millis(50));
        let t0 = std::time::Instant::now();
        p.ready().await;
        p.ready().await;
        p.ready().await;
        assert!(
            t0.elapsed() >= Duration::from_millis(95),
            "{:?}",
            t0.elapsed()
        );
        p.at_least(Duration::from_millis(120));
        let t1 = std::time::Instant::now();
        p.ready().await;
        assert!(
            t1.elapsed() >= Duration::from_millis(100),
            "{:?}",
            t1.elapsed()
        );
        p.at_least(Duration::from_millis(10));
        assert_eq!(p.interval(), Duration::from_millis(120));
        p.done();
        let t2 = std::time::Instant::now();
        p.ready().await;
        assert!(
            t2.elapsed() >= Duration::from_millis(115),
            "{:?}",
            t2.elapsed()
        );
    }

    #[tokio::test]
    async fn pause() {
        let mut p = Pacer::new(Duration::ZERO);
        p.pause_for(Duration::from_millis(80));
        p.pause_for(Duration::from_millis(10));
        assert!(p.paused_until().is_some());
        let t0 = std::time::Instant::now();
        p.ready().await;
        assert!(t0.elapsed() >= Duration::from_millis(75));
        assert!(p.paused_until().is_none());
    }
}
