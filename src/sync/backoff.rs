//! When a failed transfer may be tried again: exponential backoff with jitter, so a
//! clearinghouse coming back from an outage is not hit by every office at the same second.

use chrono::{DateTime, Duration, Utc};
use std::hash::{BuildHasher, Hasher};

/// The wait after the first failure.
const BASE_SECONDS: i64 = 30;
/// The longest wait between two tries.
const CAP_SECONDS: i64 = 6 * 60 * 60;

/// The time of the next try after `attempts` failed tries (1 = the first failure): the
/// base doubled per failure up to the cap, then a random part of its upper half dropped
/// ("equal jitter"), so the wait is between half and all of the exponential step.
pub fn next_attempt(now: DateTime<Utc>, attempts: u32) -> DateTime<Utc> {
    let step = exponential(attempts);
    let jitter = random_below(step / 2 + 1);
    now + Duration::seconds(step - jitter)
}

/// The un-jittered wait in seconds after `attempts` failures.
fn exponential(attempts: u32) -> i64 {
    let doublings = attempts.saturating_sub(1).min(20);
    (BASE_SECONDS << doublings).min(CAP_SECONDS)
}

/// A number in `0..bound`, from the standard library's per-process random hash keys (a
/// random-number crate would be a dependency for this one line).
fn random_below(bound: i64) -> i64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64);
    (hasher.finish() % bound.max(1) as u64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_stay_between_half_and_all_of_the_step() {
        let now = Utc::now();
        for attempts in 1..30 {
            let step = exponential(attempts);
            let wait = (next_attempt(now, attempts) - now).num_seconds();
            assert!(wait >= step / 2 && wait <= step, "attempt {attempts}: {wait} of {step}");
        }
        assert_eq!(exponential(1), 30);
        assert_eq!(exponential(3), 120);
        assert_eq!(exponential(29), CAP_SECONDS);
    }
}
