//! Per-client rate limits (governor), keyed by the client's address: sign-in attempts, cart
//! changes, orders, order lookups and search results opened. The state is per instance.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::HttpRequest;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Clone)]
pub struct ClientLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Behind a reverse proxy (`TRUST_PROXY=1`), the client is the last address the proxy
    /// added to `X-Forwarded-For`; otherwise the header is ignored (anyone can send it).
    trust_proxy: bool,
}

fn non_zero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

impl ClientLimiter {
    /// `per_minute` requests a minute, in bursts of up to `burst`.
    pub fn per_minute(per_minute: u32, burst: u32, trust_proxy: bool) -> Self {
        Self::with_quota(
            Quota::per_minute(non_zero(per_minute)).allow_burst(non_zero(burst)),
            trust_proxy,
        )
    }

    /// `per_hour` requests an hour, in bursts of up to `burst`.
    pub fn per_hour(per_hour: u32, burst: u32, trust_proxy: bool) -> Self {
        Self::with_quota(
            Quota::per_hour(non_zero(per_hour)).allow_burst(non_zero(burst)),
            trust_proxy,
        )
    }

    fn with_quota(quota: Quota, trust_proxy: bool) -> Self {
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            trust_proxy,
        }
    }

    /// Drops the addresses whose limit has fully recovered.
    pub fn prune(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    pub fn client(&self, req: &HttpRequest) -> IpAddr {
        let forwarded = || {
            req.headers()
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()?
                .trim()
                .parse::<IpAddr>()
                .ok()
        };
        self.trust_proxy
            .then(forwarded)
            .flatten()
            .or_else(|| req.peer_addr().map(|a| a.ip()))
            .unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    pub fn allows(&self, req: &HttpRequest) -> bool {
        self.limiter.check_key(&self.client(req)).is_ok()
    }
}

/// The public shop's limits: cart changes and orders per client address.
#[derive(Clone)]
pub struct ShopLimiters {
    pub cart: ClientLimiter,
    pub orders: ClientLimiter,
    /// Asking for a lost order link again: ten an hour, five at once. Enough for a buyer who
    /// mistypes; far too few to guess order numbers with.
    pub lookups: ClientLimiter,
    /// Search results opened (`POST /cari/klik`): a minute's sixty, thirty at once. More than
    /// a shopper opens; a script inflating a query's clicks is soon ignored.
    pub clicks: ClientLimiter,
}

impl ShopLimiters {
    pub fn new(limits: &crate::config::ShopLimits, trust_proxy: bool) -> Self {
        Self {
            cart: ClientLimiter::per_minute(
                limits.cart_changes_per_minute,
                limits.cart_changes_per_minute,
                trust_proxy,
            ),
            // A third of the hour's orders may come at once (10 of the default 30).
            orders: ClientLimiter::per_hour(
                limits.orders_per_hour,
                (limits.orders_per_hour / 3).max(1),
                trust_proxy,
            ),
            lookups: ClientLimiter::per_hour(10, 5, trust_proxy),
            clicks: ClientLimiter::per_minute(60, 30, trust_proxy),
        }
    }

    pub fn prune(&self) {
        self.cart.prune();
        self.orders.prune();
        self.lookups.prune();
        self.clicks.prune();
    }
}
