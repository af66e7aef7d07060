//! The HTTP router: identity-platform paths (Microsoft's, under `/{tenant}/…`), Graph under `/v1.0/…`
//! (its `$metadata` document without a token, as Graph serves it), wrapped in the fault and latency
//! middleware. Login and Graph share one port.

use std::sync::Arc;

use axum::Router;
use axum::routing::{any, get, post};

use crate::identity::{authorize, consent, devicecode, discovery, session, token};
use crate::server::Shared;

/// Builds the router for a running stand-in.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/common/discovery/instance", get(discovery::instance))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route(
            "/{tenant}/.well-known/openid-configuration",
            get(discovery::openid_configuration_v1),
        )
        .route("/common/userrealm/{user}", get(discovery::user_realm))
        .route("/common/UserRealm/{user}", get(discovery::user_realm))
        .route(
            "/oidc/userinfo",
            get(session::userinfo).post(session::userinfo),
        )
        .route(
            "/{tenant}/openid/userinfo",
            get(session::userinfo).post(session::userinfo),
        )
        .route(
            "/{tenant}/oauth2/v2.0/logout",
            get(session::logout).post(session::logout),
        )
        .route(
            "/{tenant}/oauth2/logout",
            get(session::logout).post(session::logout),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        .route("/{tenant}/discovery/keys", get(discovery::keys))
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::authorize))
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            post(devicecode::devicecode),
        )
        .route("/{tenant}/v2.0/adminconsent", get(consent::adminconsent_v2))
        .route("/{tenant}/adminconsent", get(consent::adminconsent_v1))
        .route(
            "/devicelogin",
            get(devicecode::devicelogin_page).post(devicecode::devicelogin_submit),
        )
        .route("/v1.0/$metadata", get(crate::graph::metadata::metadata))
        .route("/v1.0", any(crate::graph::handle))
        .route("/v1.0/{*rest}", any(crate::graph::handle))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            crate::faults::inject,
        ))
        .with_state(shared)
}
