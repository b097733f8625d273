//! Time and new ids are passed in, so that tests and reproducible demos control them.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the wall clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that starts at a fixed instant and advances by `step` on every reading, so that
/// successive writes get distinct, predictable timestamps.
#[derive(Debug)]
pub struct SteppingClock {
    next: Mutex<DateTime<Utc>>,
    step: Duration,
}

impl SteppingClock {
    pub fn new(start: DateTime<Utc>, step: Duration) -> SteppingClock {
        SteppingClock {
            next: Mutex::new(start),
            step,
        }
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> DateTime<Utc> {
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = *next;
        *next = now + self.step;
        now
    }
}

/// Where new assessment and participant ids come from.
pub trait IdSource: Send + Sync + std::fmt::Debug {
    fn next_id(&self) -> String;
}

/// Random UUIDs (v4): unique across machines, so bundles from two laptops never collide.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn next_id(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }
}

/// UUID-shaped ids counting up from 1, for reproducible tests and golden files.
#[derive(Debug, Default)]
pub struct SequentialIds {
    next: std::sync::atomic::AtomicU64,
}

impl IdSource for SequentialIds {
    fn next_id(&self) -> String {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        format!("00000000-0000-4000-8000-{n:012x}")
    }
}
