//! The middleware/proxy file: presence, location, matcher coverage, deprecated APIs.

pub mod authorized_parties_unset;
pub mod clerk_middleware_not_registered;
pub mod create_route_matcher_deprecated;
pub mod deprecated_auth_middleware;
pub mod express_clerk_middleware_order;
pub mod express_require_auth_deprecated;
pub mod middleware_client_bypass;
pub mod middleware_matcher_gap;
pub mod middleware_not_loaded;
pub mod missing_middleware;
pub mod remix_sdk_deprecated;
pub mod unawaited_protect;
