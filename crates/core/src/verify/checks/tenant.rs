//! `tenant`: OpenID discovery resolves the tenant (a domain becomes its GUID) and tells its
//! cloud; a cloud other than the one the endpoints are for is reported as `wrong_cloud`.

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::identity::{self, DiscoveryError, TenantInfo};
use crate::portal;
use crate::verify::outcome::{fail, pass, unverified};
use crate::verify::{CheckResult, Context};

/// Resolve the tenant.
pub async fn run(ctx: &Context, tenant: &str) -> (CheckResult, Option<TenantInfo>) {
    let link = Some(portal::tenant_overview(ctx.endpoints.cloud));
    match identity::discover(&ctx.http, &ctx.endpoints, tenant).await {
        Ok(info) if info.cloud != ctx.endpoints.cloud => {
            let message = format!(
                "The tenant {} lives in the {}, but the checks are talking to the {}.",
                info.tenant_id,
                info.cloud.label(),
                ctx.endpoints.cloud.label()
            );
            let evidence = json!({ "tenant_id": info.tenant_id, "cloud": info.cloud, "endpoints_cloud": ctx.endpoints.cloud });
            (
                fail(CheckId::Tenant, Cause::WrongCloud, message, evidence).with_link(link),
                Some(info),
            )
        }
        Ok(info) => {
            let message = if info.tenant_id.eq_ignore_ascii_case(tenant) {
                format!(
                    "The tenant {} exists ({}).",
                    info.tenant_id,
                    info.cloud.label()
                )
            } else {
                format!(
                    "{tenant} is the tenant {} ({}).",
                    info.tenant_id,
                    info.cloud.label()
                )
            };
            let evidence = json!({
                "tenant_id": info.tenant_id,
                "cloud": info.cloud,
                "region": info.region_scope,
                "token_endpoint": info.token_endpoint,
            });
            (pass(CheckId::Tenant, message, evidence), Some(info))
        }
        Err(DiscoveryError::Rejected(error)) => {
            let cause = identity::cause_of(&error).unwrap_or(Cause::TenantNotFound);
            let result = if cause.is_transient() {
                unverified(
                    CheckId::Tenant,
                    &crate::http::Unavailable {
                        cause,
                        detail: error.label(),
                        retry_after: None,
                    },
                )
            } else {
                let message = format!(
                    "Microsoft does not accept '{tenant}' as a tenant ({}).",
                    error.label()
                );
                fail(CheckId::Tenant, cause, message, error.evidence()).with_link(link)
            };
            (result, None)
        }
        Err(DiscoveryError::Unavailable(fault)) => (unverified(CheckId::Tenant, &fault), None),
    }
}
