//! Finding the JSON objects inside arbitrary pasted text: a bare body, one wrapped in a library's
//! message, pretty-printed, several in a log, or escaped inside another JSON string.
//!
//! Every `{` is tried as the start of a JSON value; what parses is kept with its byte range, and
//! nested objects and JSON held in string values are flattened into the same list. Text that is
//! not JSON (truncated bodies, Python dicts) is simply skipped here: the recognisers fall back to
//! patterns for it.

use std::ops::Range;

use serde_json::{Map, Value};

/// One JSON object found in the text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct JsonObject {
    /// Where the outermost object it was found in lies in the text.
    pub span: Range<usize>,
    /// The object itself.
    pub fields: Map<String, Value>,
}

/// How deep JSON held inside JSON strings is followed.
const MAX_NESTING: usize = 3;

/// Every JSON object in `text`, outer ones before the objects nested in them.
pub(super) fn objects(text: &str) -> Vec<JsonObject> {
    let mut found = Vec::new();
    collect(text, 0..text.len(), 0, &mut found);
    found
}

fn collect(text: &str, outer: Range<usize>, depth: usize, found: &mut Vec<JsonObject>) {
    let mut from = 0;
    while let Some(offset) = text[from..].find('{') {
        let start = from + offset;
        let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value @ Value::Object(_))) => {
                let end = start + stream.byte_offset();
                let span = if depth == 0 {
                    start..end
                } else {
                    outer.clone()
                };
                flatten(value, &span, depth, found);
                from = end;
            }
            _ => from = start + 1,
        }
    }
}

fn flatten(value: Value, span: &Range<usize>, depth: usize, found: &mut Vec<JsonObject>) {
    match value {
        Value::Object(fields) => {
            let children: Vec<Value> = fields.values().cloned().collect();
            found.push(JsonObject {
                span: span.clone(),
                fields,
            });
            for child in children {
                flatten(child, span, depth, found);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten(item, span, depth, found);
            }
        }
        Value::String(inner) if depth < MAX_NESTING && inner.contains('{') => {
            collect(&inner, span.clone(), depth + 1, found);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_inside_text_are_found_with_their_range() {
        let text = r#"ClientSecretCredential authentication failed: POST https://login.microsoftonline.com/x/oauth2/v2.0/token
RESPONSE 401: {"error":"invalid_client","error_codes":[7000215]} trailing"#;
        let found = objects(text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].span.clone()],
            r#"{"error":"invalid_client","error_codes":[7000215]}"#
        );
    }

    #[test]
    fn nested_and_string_held_objects_are_flattened() {
        let text = r#"{"status":403,"body":"{\"error\":{\"code\":\"ErrorAccessDenied\",\"innerError\":{\"date\":\"2024-01-01\"}}}"}"#;
        let found = objects(text);
        let codes: Vec<&str> = found
            .iter()
            .filter_map(|o| o.fields.get("code").and_then(Value::as_str))
            .collect();
        assert_eq!(codes, ["ErrorAccessDenied"]);
        assert!(found.iter().all(|o| o.span == (0..text.len())));
    }

    #[test]
    fn truncated_json_and_braces_in_prose_are_skipped() {
        assert!(
            objects(r#"{"error":"invalid_client","error_description":"AADSTS7000215: Inv"#)
                .is_empty()
        );
        assert!(objects("see {tenant} and { not json }").is_empty());
    }
}
