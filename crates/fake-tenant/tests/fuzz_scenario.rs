//! Fuzz target of the stand-in's scenario files (contracts/scenario.md): `Scenario::load` on the
//! shipped scenarios and the committed corpus (`fuzz/corpus/scenario/`), damaged, and on
//! arbitrary bytes; a scenario that loads is then built into the stand-in's directory, as
//! serving it does. Every file is a scenario or a `ScenarioError` naming what is wrong, never a
//! panic. `FUZZ_CASES` inputs (a short pass by default, a million under `make fuzz`); see
//! fuzz/README.md.

#[path = "../../../fuzz/harness.rs"]
mod harness;

use entra_fake_tenant::builtin::SCENARIOS;
use entra_fake_tenant::clock::Clock;
use entra_fake_tenant::state::Directory;
use entra_fake_tenant::{Scenario, ScenarioError};

use harness::Material;

/// JSON's delimiters, values at the edges of their types, and the scenario's own words.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\\u0000",
    b"\xef\xbb\xbf",
    b":",
    b",",
    b"null",
    b"true",
    b"-1",
    b"0",
    b"18446744073709551616",
    b"1e999",
    b"\"tenants\":[",
    b"\"users\":[",
    b"\"applications\":[",
    b"\"faults\":[",
    b"\"secrets\":[",
    b"\"after\":true",
    b"\"retry_after\":",
    b"\"status\":",
    b"\"latency_ms\":",
    b"\"expires\":\"",
    b"\"+262142-12-31T23:59:59Z\"",
    b"\"-262143-01-01T00:00:00Z\"",
    b"00000000-0000-0000-0000-000000000000",
    b"@contoso.com",
    b"Mail.Send",
    b"Calendars.ReadWrite",
    "\u{202e}".as_bytes(),
];

#[test]
fn scenario_load_takes_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("scenario.json");
    let shipped = SCENARIOS
        .iter()
        .map(|(_, text)| text.as_bytes().to_vec())
        .collect();
    let material = Material::new("scenario", shipped, TOKENS, 64 * 1024);
    let clock = Clock::manual();
    harness::fuzz("scenario", material.inputs(), |bytes| {
        std::fs::write(&file, bytes).map_err(|e| format!("cannot write the input: {e}"))?;
        match Scenario::load(&file) {
            Ok(scenario) => {
                Directory::from_scenario(&scenario, &clock);
                Ok(true)
            }
            Err(ScenarioError::Field { field, message }) => {
                if message.is_empty() {
                    Err(format!("a refusal of `{field}` that says nothing"))
                } else {
                    Ok(false)
                }
            }
            Err(ScenarioError::Read { .. }) => {
                if std::str::from_utf8(bytes).is_ok() {
                    Err("a UTF-8 file that could not be read".into())
                } else {
                    Ok(false)
                }
            }
        }
    });
}
