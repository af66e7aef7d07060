//! Integration tests of the stand-in tenant, driving it over real HTTP (reqwest) and SMTP (lettre) and IMAP (a raw TLS socket).

mod binary;
mod certificates;
mod client_assertions;
mod clock;
mod common;
mod conformance;
mod examples;
mod faults;
mod graph;
mod graph_key_credentials;
mod graph_odata;
mod graph_recordings;
mod identity;
mod identity_endpoints;
mod identity_recordings;
mod identity_tokens;
mod imap;
mod interactive;
mod scale;
mod scenario_loading;
mod smtp;
