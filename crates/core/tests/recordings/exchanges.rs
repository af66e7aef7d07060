//! The recorded exchanges of `shared/conformance/recordings/` (one JSON object a line: `method`,
//! `url`, `request_body`, `status`, `response_headers`, `response_body`), and the comparisons the
//! recordings tests make with them: a request's path as a pattern (ids replaced), a form body's
//! fields, and whether the JSON the core sends has the same types as the JSON recorded.
//!
//! Nothing here knows the core: it reads the recordings and compares JSON values.

// Each test uses its own part of this module.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;
use url::Url;

/// One recorded exchange.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The file, relative to the recordings folder (`azure-cli/test_app_credential.jsonl`).
    pub file: String,
    /// The line of the file, from 1.
    pub line: usize,
    /// The HTTP method.
    pub method: String,
    /// The URL as recorded.
    pub url: Url,
    /// The request body: JSON when it was JSON, a string for a form, `null` without one.
    pub request_body: Value,
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub response_headers: serde_json::Map<String, Value>,
    /// The response body: JSON when it was JSON, `null` without one.
    pub response_body: Value,
}

impl Exchange {
    /// Where it was recorded, for messages (`azure-cli/test_app_credential.jsonl:5`).
    pub fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// The path as a pattern ([`pattern`]).
    pub fn pattern(&self) -> String {
        pattern(self.url.path())
    }

    /// Whether this is `method` on a path of `pattern` (compared ignoring ASCII case, as Graph
    /// does).
    pub fn is(&self, method: &str, pattern: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.pattern().eq_ignore_ascii_case(pattern)
    }

    /// A response header, by name in any case.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    }

    /// The request's form fields, when its body was a form (`a=1&b=2`).
    pub fn form(&self) -> Option<Vec<(String, String)>> {
        let text = self.request_body.as_str()?;
        text.contains('=').then(|| form_fields(text))
    }
}

/// The folder of the recordings, beside the project.
pub fn recordings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/recordings")
}

/// Every exchange of every `*.jsonl` in the recordings folder and its sub-folders, in file and
/// line order.
pub fn all() -> Vec<Exchange> {
    let dir = recordings_dir();
    let mut files = Vec::new();
    let mut folders = vec![dir.clone()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).unwrap_or_else(|e| {
            panic!(
                "the recordings are not beside the project at {}: {e}",
                folder.display()
            )
        });
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut exchanges = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(&dir)
            .expect("under the folder")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).expect("a recording");
        for (index, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let record: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{name}:{}: not JSON: {e}", index + 1));
            let field = |key: &str| record.get(key).cloned().unwrap_or(Value::Null);
            exchanges.push(Exchange {
                file: name.clone(),
                line: index + 1,
                method: field("method").as_str().expect("method").to_string(),
                url: Url::parse(field("url").as_str().expect("url")).expect("a URL"),
                request_body: field("request_body"),
                status: u16::try_from(field("status").as_u64().expect("status")).expect("status"),
                response_headers: field("response_headers")
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
                response_body: field("response_body"),
            });
        }
    }
    assert!(!exchanges.is_empty(), "no recordings in {}", dir.display());
    exchanges
}

/// The one exchange at `file:line`.
pub fn at(all: &[Exchange], file: &str, line: usize) -> Exchange {
    all.iter()
        .find(|e| e.file == file && e.line == line)
        .cloned()
        .unwrap_or_else(|| panic!("no exchange {file}:{line}"))
}

/// A path with its ids replaced: `/v1.0/applications/765eb0e3-…/addPassword` becomes
/// `v1.0/applications/{id}/addPassword`, `/v1.0/servicePrincipals(appId='…')` becomes
/// `v1.0/servicePrincipals(appId={id})`, `/fake-tenant/oauth2/v2.0/token` becomes
/// `{tenant}/oauth2/v2.0/token`. An id is a GUID, a user principal name, or an opaque key of 32
/// characters or more (a grant's id); a segment of the identity platform's paths that names the
/// tenant comes first. An action's namespace (`microsoft.graph.addPassword`) is dropped, as Graph
/// accepts both spellings.
pub fn pattern(path: &str) -> String {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let graph = matches!(segments.first(), Some(&"v1.0" | &"beta"));
    segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let segment = percent_decode(segment);
            if !graph && index == 0 {
                return "{tenant}".to_string();
            }
            if let Some((name, _)) = segment.split_once('(')
                && segment.ends_with(')')
            {
                let inner = &segment[name.len() + 1..segment.len() - 1];
                return match inner.split_once('=') {
                    Some((key, _)) => format!("{name}({key}={{id}})"),
                    None => format!("{name}({{id}})"),
                };
            }
            if is_id(&segment) {
                return "{id}".to_string();
            }
            segment
                .strip_prefix("microsoft.graph.")
                .unwrap_or(&segment)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_id(segment: &str) -> bool {
    uuid::Uuid::try_parse(segment).is_ok()
        || segment.contains('@')
        || (segment.len() >= 32
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The fields of a URL-encoded form, in order.
pub fn form_fields(text: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The JSON type of a value: `null`, `boolean`, `number`, `string`, `array` or `object`.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Where `ours` does not fit `theirs`: every property of `ours` (recursively) must be one
/// `theirs` has too, with the same JSON type. A recorded `null` or an empty recorded array says
/// nothing about the type and fits anything; the items of our arrays are compared with the first
/// recorded item. Each problem is a `path: …` line.
pub fn misfits(ours: &Value, theirs: &Value, path: &str) -> Vec<String> {
    match (ours, theirs) {
        (_, Value::Null) => Vec::new(),
        (Value::Object(ours), Value::Object(theirs)) => ours
            .iter()
            .flat_map(|(key, value)| {
                let at = format!("{path}.{key}");
                match theirs.get(key) {
                    Some(recorded) => misfits(value, recorded, &at),
                    None => vec![format!("{at}: not in the recorded JSON")],
                }
            })
            .collect(),
        (Value::Array(ours), Value::Array(theirs)) => match theirs.first() {
            None => Vec::new(),
            Some(first) => ours
                .iter()
                .enumerate()
                .flat_map(|(i, item)| misfits(item, first, &format!("{path}[{i}]")))
                .collect(),
        },
        (ours, theirs) if json_type(ours) == json_type(theirs) => Vec::new(),
        (ours, theirs) => vec![format!(
            "{path}: {} sent, {} recorded",
            json_type(ours),
            json_type(theirs)
        )],
    }
}

/// [`misfits`] against the first of several recorded values that fits, property by property:
/// each top-level property of `ours` must fit the same property of at least one recorded value
/// that has it (non-null). Problems name the property and what the recordings hold.
pub fn misfits_any(ours: &Value, recorded: &[&Value]) -> Vec<String> {
    let Value::Object(ours) = ours else {
        return vec![format!("sent {}, not an object", json_type(ours))];
    };
    let mut problems = Vec::new();
    for (key, value) in ours {
        let candidates: Vec<&Value> = recorded
            .iter()
            .filter_map(|r| r.get(key))
            .filter(|v| !v.is_null())
            .collect();
        if candidates.is_empty() {
            problems.push(format!("{key}: in no recorded JSON"));
            continue;
        }
        let fits = candidates
            .iter()
            .any(|candidate| misfits(value, candidate, key).is_empty());
        if !fits {
            problems.extend(misfits(value, candidates[0], key));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_replace_ids() {
        assert_eq!(
            pattern("/v1.0/applications/765eb0e3-acb3-475d-9a98-ee6892f081c8/addPassword"),
            "v1.0/applications/{id}/addPassword"
        );
        assert_eq!(
            pattern(
                "/v1.0/applications/f0794693-cfca-422b-8c0a-9a91666afc9a/microsoft.graph.removePassword"
            ),
            "v1.0/applications/{id}/removePassword"
        );
        assert_eq!(
            pattern("/v1.0/applications(uniqueName='a%20b')"),
            "v1.0/applications(uniqueName={id})"
        );
        assert_eq!(
            pattern("/v1.0/oAuth2PermissionGrants/35MyBBmbqkaWL2X5V9e8yInI76O38TJFngGR4y0QOfQ"),
            "v1.0/oAuth2PermissionGrants/{id}"
        );
        assert_eq!(
            pattern("/v1.0/users/example@example.com"),
            "v1.0/users/{id}"
        );
        assert_eq!(
            pattern("/fake-tenant/oauth2/v2.0/token"),
            "{tenant}/oauth2/v2.0/token"
        );
    }

    #[test]
    fn misfits_name_the_property() {
        let recorded = serde_json::json!({"a": "x", "b": {"c": [1]}, "n": null});
        assert!(misfits(&serde_json::json!({"a": "y", "n": 3}), &recorded, "$").is_empty());
        assert_eq!(
            misfits(
                &serde_json::json!({"b": {"c": ["1"]}, "z": 1}),
                &recorded,
                "$"
            ),
            [
                "$.b.c[0]: string sent, number recorded",
                "$.z: not in the recorded JSON"
            ]
        );
    }
}
