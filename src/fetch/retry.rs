//! The retry policy: which outcomes are retried (connect errors, timeouts, 5xx, 429), how long
//! to wait (exponential backoff with jitter, or `Retry-After` when it is longer), and when to
//! give up (per-URL retry budget, or a `Retry-After` beyond the cap).

use std::time::Duration;

use super::backoff::Backoff;

/// What to do after one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The outcome is final (success, or an error not worth retrying).
    Final,
    /// Try again after this delay.
    Retry(Duration),
    /// Retryable, but the budget is spent (or the server asks for too long a wait).
    GiveUp(String),
}

/// Whether an HTTP status is worth retrying.
pub fn retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501
}

/// Decide after an attempt. `status = None` means a transport error (connect, timeout, reset),
/// described by `what`. `attempts` counts failed attempts before this one.
pub fn decide(
    status: Option<u16>,
    what: &str,
    retry_after: Option<Duration>,
    attempts: u32,
    max_retries: u32,
    backoff: &Backoff,
    jitter: f64,
) -> Decision {
    let label = match status {
        Some(s) if !retryable_status(s) => return Decision::Final,
        Some(s) => format!("HTTP {s}"),
        None => what.to_string(),
    };
    if attempts >= max_retries {
        return Decision::GiveUp(label);
    }
    let wait = backoff.delay(attempts, jitter);
    match retry_after {
        Some(ra) if ra > backoff.cap => {
            Decision::GiveUp(format!("{label} (Retry-After {} s too long)", ra.as_secs()))
        }
        Some(ra) => Decision::Retry(ra.max(wait)),
        None => Decision::Retry(wait),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b() -> Backoff {
        Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(60),
        }
    }

    #[test]
    fn statuses() {
        assert!(retryable_status(500) && retryable_status(503) && retryable_status(429));
        assert!(!retryable_status(404) && !retryable_status(501) && !retryable_status(200));
        assert_eq!(
            decide(Some(404), "", None, 0, 3, &b(), 0.0),
            Decision::Final
        );
        assert_eq!(
            decide(Some(200), "", None, 0, 3, &b(), 0.0),
            Decision::Final
        );
    }

    #[test]
    fn budget_and_retry_after() {
        assert_eq!(
            decide(Some(503), "", None, 0, 3, &b(), 1.0),
            Decision::Retry(Duration::from_secs(1))
        );
        assert_eq!(
            decide(None, "timeout", None, 2, 3, &b(), 1.0),
            Decision::Retry(Duration::from_secs(4))
        );
        assert_eq!(
            decide(None, "timeout", None, 3, 3, &b(), 1.0),
            Decision::GiveUp("timeout".into())
        );
        assert_eq!(
            decide(Some(429), "", Some(Duration::from_secs(7)), 0, 3, &b(), 1.0),
            Decision::Retry(Duration::from_secs(7))
        );
        assert!(matches!(
            decide(
                Some(429),
                "",
                Some(Duration::from_secs(3600)),
                0,
                3,
                &b(),
                1.0
            ),
            Decision::GiveUp(_)
        ));
        assert_eq!(
            decide(Some(500), "", None, 3, 3, &b(), 1.0),
            Decision::GiveUp("HTTP 500".into())
        );
    }
}
