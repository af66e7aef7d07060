//! How long a complete verification takes when every answer from Microsoft takes 150 ms: the
//! engine's concurrent checks against the same checks with one request at a time. Prints both
//! times and what they are in round trips. Run with `make bench`.

use std::time::{Duration, Instant};

use entra_setup_core::endpoints::Endpoints;
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::identity::{self, DEFAULT_SIGN_IN_CLIENT};
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{self, Context, Inputs, Report, Sessions, sign_in};
use entra_setup_tests::stand_in::StandIn;

const LATENCY_MS: u64 = 150;
const RUNS: usize = 3;

fn main() -> anyhow::Result<()> {
    let stand_in = StandIn::start_with("axero-outlook-calendar", |scenario| {
        scenario["latency_ms"] = serde_json::json!(LATENCY_MS);
    });
    let endpoints = Endpoints::from_file(&stand_in.endpoints_file())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let catalog = Catalog::shipped();
    let profile = catalog
        .get("axero-outlook-calendar")
        .expect("shipped profile");

    let context = |http: Http| Context {
        http,
        endpoints: endpoints.clone(),
        now: chrono::Utc::now(),
    };
    let concurrent = context(Http::new(RetryPolicy::default())?);
    let one_at_a_time = context(Http::new(RetryPolicy::default())?.with_request_limit(1));

    let admin = runtime.block_on(identity::sign_in_with_device_code(
        &concurrent.http,
        &concurrent.endpoints,
        "contoso.com",
        DEFAULT_SIGN_IN_CLIENT,
        &sign_in::admin_scopes(&concurrent),
        &|_| {},
    ))?;
    let inputs = Inputs {
        tenant: "contoso.com".into(),
        client_id: Some("bbbbbbbb-0000-0000-0000-000000000001".into()),
        secret: Some(Secret::new("Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789")),
        redirect_uri: profile.redirect_uri_for("https://intranet.contoso.com"),
        mailbox: Some("intranet@contoso.com".into()),
        test_recipient: None,
        sessions: Sessions {
            admin_graph: Some(admin.access_token),
            ..Sessions::default()
        },
    };

    let time = |ctx: &Context| -> anyhow::Result<(Duration, Report)> {
        let mut best = Duration::MAX;
        let mut last = None;
        for _ in 0..RUNS {
            let started = Instant::now();
            let report = runtime.block_on(verify::verify(profile, &inputs, ctx, &|_| {}));
            best = best.min(started.elapsed());
            last = Some(report);
        }
        Ok((best, last.expect("at least one run")))
    };
    let (fast, report) = time(&concurrent)?;
    let (slow, _) = time(&one_at_a_time)?;
    let round_trip = Duration::from_millis(LATENCY_MS);
    println!(
        "verify axero-outlook-calendar, administrator signed in, {LATENCY_MS} ms per answer (best of {RUNS}):"
    );
    println!(
        "  checks: {} pass, {} fail, {} warn, {} unverified, {} skipped",
        report.summary.pass,
        report.summary.fail,
        report.summary.warn,
        report.summary.unverified,
        report.summary.skipped
    );
    println!(
        "  concurrent:      {:>6} ms = {:.1} round trips",
        fast.as_millis(),
        fast.as_secs_f64() / round_trip.as_secs_f64()
    );
    println!(
        "  one at a time:   {:>6} ms = {:.1} round trips",
        slow.as_millis(),
        slow.as_secs_f64() / round_trip.as_secs_f64()
    );
    println!(
        "  speed-up:        {:.1}x",
        slow.as_secs_f64() / fast.as_secs_f64()
    );
    Ok(())
}
