//! Rate limiting of `/graphql` requests: each caller — a token's user, or the address
//! of a request without a valid token — has a bucket of `burst` requests refilled at
//! `per_second` (GCRA, through `governor`). A request beyond it is answered 429
//! `RATE_LIMITED` with `Retry-After`, before any work is done for it.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::ApiError;

/// How many requests a caller may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a second, sustained.
    pub per_second: NonZeroU32,
    /// Requests that may come at once after a quiet spell.
    pub burst: NonZeroU32,
}

/// Who a request counts against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Caller {
    /// A valid token's subject: every token of one user shares one bucket.
    User(String),
    /// A request without a valid token, by its peer's address.
    Address(IpAddr),
}

/// How often callers whose buckets have refilled are forgotten, so the limiter holds
/// only the callers of the last minute or so.
pub(crate) const FORGET_EVERY: Duration = Duration::from_secs(60);

/// The limiter, one per server instance.
pub(crate) struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<Caller>,
    clock: DefaultClock,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limiter: governor::RateLimiter::keyed(
                Quota::per_second(limit.per_second).allow_burst(limit.burst),
            ),
            clock: DefaultClock::default(),
        }
    }

    /// Counts a request of `caller`: `RATE_LIMITED` (with the whole seconds to wait,
    /// at least one) when its bucket is empty.
    pub(crate) fn check(&self, caller: &Caller) -> Result<(), ApiError> {
        self.limiter.check_key(caller).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            let retry_after_secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::RateLimited {
                message: format!(
                    "too many requests; try again in {} s",
                    retry_after_secs.max(1)
                ),
                retry_after_secs: retry_after_secs.max(1),
            }
        })
    }

    /// Forgets the callers whose buckets are full again (they are as new).
    pub(crate) fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// The address a peer is counted by: IPv4 as it is, IPv6 by its /64 (one subscriber's
/// network hands out addresses from its /64 freely). A router served without
/// connection info (embedded in a test) counts every peer as one.
pub(crate) fn peer_key(peer: Option<SocketAddr>) -> IpAddr {
    match peer.map(|p| p.ip().to_canonical()) {
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        Some(v4) => v4,
        None => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(per_second: u32, burst: u32) -> RateLimit {
        RateLimit {
            per_second: NonZeroU32::new(per_second).expect("non-zero"),
            burst: NonZeroU32::new(burst).expect("non-zero"),
        }
    }

    #[test]
    fn a_caller_gets_its_burst_then_is_told_when_to_come_back() {
        let limiter = RateLimiter::new(limit(1, 3));
        let me = Caller::User("an".into());
        for _ in 0..3 {
            assert!(limiter.check(&me).is_ok());
        }
        match limiter.check(&me) {
            Err(ApiError::RateLimited {
                retry_after_secs, ..
            }) => assert_eq!(retry_after_secs, 1),
            other => panic!("the fourth request at once: {other:?}"),
        }
        // Another user, and an address, have buckets of their own.
        assert!(limiter.check(&Caller::User("binh".into())).is_ok());
        assert!(limiter
            .check(&Caller::Address(IpAddr::from([127, 0, 0, 1])))
            .is_ok());
    }

    #[test]
    fn peers_are_counted_by_address_and_ipv6_by_its_64() {
        let a: SocketAddr = "[2001:db8:1:2:3:4:5:6]:443".parse().expect("address");
        let b: SocketAddr = "[2001:db8:1:2:ffff::1]:80".parse().expect("address");
        let c: SocketAddr = "[2001:db8:1:3::1]:80".parse().expect("address");
        assert_eq!(peer_key(Some(a)), peer_key(Some(b)));
        assert_ne!(peer_key(Some(a)), peer_key(Some(c)));
        let v4: SocketAddr = "10.0.0.1:5000".parse().expect("address");
        let mapped: SocketAddr = "[::ffff:10.0.0.1]:6000".parse().expect("address");
        assert_eq!(peer_key(Some(v4)), peer_key(Some(mapped)));
        assert_eq!(peer_key(Some(v4)), IpAddr::from([10, 0, 0, 1]));
    }
}
