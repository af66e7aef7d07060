//! The `entra-fake-tenant` binary: loads a scenario, starts the stand-in, prints the ready line (one line of
//! JSON on stdout) and runs until SIGTERM / SIGINT. A bad scenario exits with status 2, naming the field.

use std::io::Write as _;
use std::path::PathBuf;

use clap::Parser;
use entra_fake_tenant::{FakeTenant, Scenario, StartOptions};

/// Stand-in for login.microsoftonline.com, graph.microsoft.com, smtp.office365.com and outlook.office365.com's
/// IMAP on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "entra-fake-tenant", version)]
struct Args {
    /// The scenario file (contracts/scenario.md).
    #[arg(long)]
    scenario: PathBuf,
    /// HTTP port for the identity platform and Graph (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// SMTP port (0 = any free port).
    #[arg(long, default_value_t = 0)]
    smtp_port: u16,
    /// IMAP port, TLS from the first byte (0 = any free port).
    #[arg(long, default_value_t = 0)]
    imap_port: u16,
    /// Added to every answer, overriding the scenario's latency_ms.
    #[arg(long)]
    latency_ms: Option<u64>,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let scenario = match Scenario::load(&args.scenario) {
        Ok(scenario) => scenario,
        Err(error) => {
            eprintln!("entra-fake-tenant: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("entra-fake-tenant: cannot start the runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(scenario, args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("entra-fake-tenant: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(scenario: Scenario, args: Args) -> anyhow::Result<()> {
    let options = StartOptions {
        port: args.port,
        smtp_port: args.smtp_port,
        imap_port: args.imap_port,
        latency_ms: args.latency_ms,
        ca_dir: None,
        clock: entra_fake_tenant::Clock::System,
    };
    let tenant = FakeTenant::start(scenario, options).await?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", tenant.endpoints().ready_line())?;
    stdout.flush()?;
    drop(stdout);
    wait_for_signal().await?;
    tenant.shutdown().await;
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signal() -> anyhow::Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result?,
        _ = terminate.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_signal() -> anyhow::Result<()> {
    tokio::signal::ctrl_c().await?;
    Ok(())
}
