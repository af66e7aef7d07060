//! Conformance: every Graph request the core builds (`graph::request_templates`) exists in
//! Microsoft Graph's published v1.0 metadata (`shared/conformance/graph-description`): the path
//! resolves entity set by entity set, key by key and navigation property by navigation property,
//! alternate keys (`appId`) are properties of the type, and every `$select` and `$filter`
//! property is a property of the type the path ends on (base types included).

use std::collections::HashMap;
use std::io::Read as _;
use std::path::PathBuf;

use entra_setup_core::graph::request_templates;

fn metadata_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/graph-description/cleanMetadata-v1.0.xml.gz")
}

/// The parts of the CSDL the requests need.
#[derive(Default)]
struct Csdl {
    /// type name → (base type, member name → member type)
    types: HashMap<String, (Option<String>, HashMap<String, String>)>,
    /// entity sets and singletons → (type, is an entity set)
    roots: HashMap<String, (String, bool)>,
}

fn short(name: &str) -> String {
    name.trim_start_matches("microsoft.graph.")
        .trim_start_matches("graph.")
        .to_owned()
}

fn load(text: &str) -> Csdl {
    let document = roxmltree::Document::parse_with_options(
        text.trim_start_matches('\u{feff}'),
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("metadata is XML");
    let schema = document
        .descendants()
        .find(|n| n.has_tag_name("Schema") && n.attribute("Namespace") == Some("microsoft.graph"))
        .expect("the microsoft.graph schema");
    let mut csdl = Csdl::default();
    for node in schema.children().filter(|n| n.is_element()) {
        let name = node.attribute("Name").unwrap_or_default().to_owned();
        match node.tag_name().name() {
            "EntityType" | "ComplexType" => {
                let members = node
                    .children()
                    .filter(|c| c.has_tag_name("Property") || c.has_tag_name("NavigationProperty"))
                    .map(|c| {
                        (
                            c.attribute("Name").unwrap_or_default().to_owned(),
                            short(c.attribute("Type").unwrap_or_default()),
                        )
                    })
                    .collect();
                csdl.types
                    .insert(name, (node.attribute("BaseType").map(short), members));
            }
            "EntityContainer" => {
                for root in node
                    .children()
                    .filter(|c| c.has_tag_name("EntitySet") || c.has_tag_name("Singleton"))
                {
                    let ty = root
                        .attribute("EntityType")
                        .or(root.attribute("Type"))
                        .unwrap_or_default();
                    csdl.roots.insert(
                        root.attribute("Name").unwrap_or_default().to_owned(),
                        (short(ty), root.has_tag_name("EntitySet")),
                    );
                }
            }
            _ => {}
        }
    }
    csdl
}

impl Csdl {
    /// The type of `member` on `type_name` or its base types.
    fn member(&self, type_name: &str, member: &str) -> Option<String> {
        let mut current = Some(type_name.to_owned());
        while let Some(name) = current {
            let (base, members) = self.types.get(&name)?;
            if let Some(found) = members.get(member) {
                return Some(found.clone());
            }
            current = base.clone();
        }
        None
    }

    /// The type a path ends on: `(type, is a collection)`.
    fn resolve(&self, path: &str) -> Result<(String, bool), String> {
        let mut current: Option<(String, bool)> = None;
        for segment in path.split('/') {
            let (name, key) = match segment.split_once('(') {
                Some((name, key)) => (name, Some(key.trim_end_matches(')'))),
                None => (segment, None),
            };
            let next = match &current {
                None => self
                    .roots
                    .get(name)
                    .cloned()
                    .ok_or_else(|| format!("no entity set or singleton '{name}'"))?,
                // `{id}` after a collection: one of its entities.
                Some((ty, true)) if name.starts_with('{') => (ty.clone(), false),
                Some((ty, _)) => {
                    let member = self
                        .member(ty, name)
                        .ok_or_else(|| format!("'{ty}' has no property '{name}'"))?;
                    match member
                        .strip_prefix("Collection(")
                        .and_then(|t| t.strip_suffix(')'))
                    {
                        Some(inner) => (short(inner), true),
                        None => (member, false),
                    }
                }
            };
            let next = match key {
                None => next,
                Some(key) => {
                    if !next.1 {
                        return Err(format!("'{segment}' keys a single entity"));
                    }
                    if let Some((property, _)) = key.split_once('=') {
                        self.member(&next.0, property).ok_or_else(|| {
                            format!(
                                "alternate key '{property}' is not a property of '{}'",
                                next.0
                            )
                        })?;
                    }
                    (next.0, false)
                }
            };
            current = Some(next);
        }
        current.ok_or_else(|| "empty path".to_owned())
    }
}

#[test]
fn every_request_the_core_builds_is_in_graphs_metadata() {
    let path = metadata_path();
    let Ok(file) = std::fs::File::open(&path) else {
        // Under CI the real metadata must be checked: its absence fails the test.
        assert!(
            std::env::var_os("CI").is_none(),
            "Graph's metadata is not at {} and CI is set: shared/conformance must be there",
            path.display()
        );
        eprintln!(
            "SKIPPED: Graph's metadata is not at {} (shared/conformance is absent)",
            path.display()
        );
        return;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gunzip the metadata");
    let csdl = load(&text);
    let templates = request_templates();
    assert!(templates.len() >= 10, "{templates:?}");
    let mut problems = Vec::new();
    for template in &templates {
        match csdl.resolve(template.path) {
            Err(problem) => problems.push(format!("{}: {problem}", template.path)),
            Ok((ty, _)) => {
                for property in template.select.iter().chain(template.filter) {
                    if csdl.member(&ty, property).is_none() {
                        problems.push(format!(
                            "{}: '{property}' is not a property of '{ty}'",
                            template.path
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_resolver_rejects_what_graph_does_not_have() {
    let path = metadata_path();
    let Ok(file) = std::fs::File::open(&path) else {
        eprintln!("SKIPPED: Graph's metadata is not at {}", path.display());
        return;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gunzip the metadata");
    let csdl = load(&text);
    assert!(csdl.resolve("applications(appId='x')").is_ok());
    assert!(csdl.resolve("applications(clientId='x')").is_err());
    assert!(
        csdl.resolve("servicePrincipals/{id}/appRoleGrants")
            .is_err()
    );
    assert!(csdl.resolve("policies/authorizationPolicy").is_ok());
    // identityGovernance is a singleton; its navigation leads to the consent requests.
    assert_eq!(
        csdl.roots.get("identityGovernance"),
        Some(&("identityGovernance".to_owned(), false))
    );
    let (requests, many) = csdl
        .resolve("identityGovernance/appConsent/appConsentRequests")
        .expect("appConsentRequests");
    assert_eq!((requests.as_str(), many), ("appConsentRequest", true));
    let (user_requests, _) = csdl
        .resolve("identityGovernance/appConsent/appConsentRequests/{id}/userConsentRequests")
        .expect("userConsentRequests");
    assert!(csdl.member(&user_requests, "status").is_some());
    assert!(csdl.member(&requests, "status").is_none());
    assert!(
        csdl.resolve("identityGovernance/appConsentRequests")
            .is_err()
    );
    let (user, _) = csdl.resolve("users/{id}").expect("user");
    assert!(csdl.member(&user, "accountEnabled").is_some());
    assert!(csdl.member(&user, "isShared").is_none());
}
