//! Conformance: every Graph request the core builds (`graph::request_templates`) exists in
//! Microsoft Graph's published v1.0 metadata (`shared/conformance/graph-description`): the path
//! resolves entity set by entity set, key by key and navigation property by navigation property,
//! alternate keys (`appId`) are properties of the type, and every `$select` and `$filter`
//! property is a property of the type the path ends on (base types included).
//!
//! Every write's body is a fully populated instance of the very type the request serialises
//! (`graph::bodies`, through `RequestBody::fully_populated`), walked as JSON against the metadata:
//! a `PATCH` or a `POST` to a collection against the entity type the path ends on, a bound
//! action's (`addPassword`, `removePassword`, `sendMail`) against the parameters of the action
//! bound to that type. Every property must be a structural property of the type (base types
//! included; not a navigation property) or a parameter of the action, with a compatible JSON
//! value: `Edm.String`, `Edm.Guid` (GUID-shaped), `Edm.DateTimeOffset` (RFC 3339) → string,
//! `Edm.Boolean` → bool, `Edm.Int32` → integer, an enum → one of its members' names,
//! `Collection(…)` → array of its items, a complex or entity type → object, walked recursively.
//! The walk is made on the full metadata and again on the subset the stand-in serves
//! (`graph-v1.0-subset.csdl.xml`), whose types must agree with what the core sends.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::PathBuf;

use entra_setup_core::graph::{RequestTemplate, request_templates};
use reqwest::Method;
use serde_json::{Value, json};

fn metadata_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/graph-description/cleanMetadata-v1.0.xml.gz")
}

fn subset_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/graph-description/graph-v1.0-subset.csdl.xml")
}

/// A structural property: its type and whether it may be `null`.
#[derive(Debug, Clone)]
struct Property {
    ty: String,
    nullable: bool,
}

/// A bound action: the type it is bound to and its other parameters.
#[derive(Debug, Clone)]
struct Action {
    name: String,
    bound_to: String,
    parameters: Vec<(String, Property)>,
}

/// The parts of the CSDL the requests need.
#[derive(Default)]
struct Csdl {
    /// type name → (base type, member name → member type), navigation properties included
    types: HashMap<String, (Option<String>, HashMap<String, String>)>,
    /// type name → structural property name → property
    properties: HashMap<String, HashMap<String, Property>>,
    /// enum type name → member names
    enums: HashMap<String, Vec<String>>,
    /// the bound actions
    actions: Vec<Action>,
    /// entity sets and singletons → (type, is an entity set)
    roots: HashMap<String, (String, bool)>,
}

fn property(node: roxmltree::Node<'_, '_>) -> Property {
    Property {
        ty: short(node.attribute("Type").unwrap_or_default()),
        nullable: node.attribute("Nullable") != Some("false"),
    }
}

/// Read Graph's metadata: the gzip of the full document, or the subset as XML.
fn read_metadata(path: &std::path::Path) -> Option<Csdl> {
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .expect("gunzip the metadata");
    } else {
        std::io::BufReader::new(file)
            .read_to_string(&mut text)
            .expect("read the metadata");
    }
    Some(load(&text))
}

/// The full metadata, or `None` (the test is skipped, except under CI) when shared/conformance is
/// absent.
fn full_metadata() -> Option<Csdl> {
    let path = metadata_path();
    let csdl = read_metadata(&path);
    if csdl.is_none() {
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
    }
    csdl
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
                let properties = node
                    .children()
                    .filter(|c| c.has_tag_name("Property"))
                    .map(|c| {
                        (
                            c.attribute("Name").unwrap_or_default().to_owned(),
                            property(c),
                        )
                    })
                    .collect();
                csdl.properties.insert(name.clone(), properties);
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
            "EnumType" => {
                let members = node
                    .children()
                    .filter(|c| c.has_tag_name("Member"))
                    .filter_map(|c| c.attribute("Name").map(str::to_owned))
                    .collect();
                csdl.enums.insert(name, members);
            }
            "Action" if node.attribute("IsBound") == Some("true") => {
                let mut parameters =
                    node.children()
                        .filter(|c| c.has_tag_name("Parameter"))
                        .map(|c| {
                            (
                                c.attribute("Name").unwrap_or_default().to_owned(),
                                property(c),
                            )
                        });
                let Some((_, binding)) = parameters.next() else {
                    continue;
                };
                csdl.actions.push(Action {
                    name,
                    bound_to: binding.ty,
                    parameters: parameters.collect(),
                });
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

    /// The structural property `name` of `type_name` or its base types.
    fn property(&self, type_name: &str, name: &str) -> Option<&Property> {
        let mut current = Some(type_name.to_owned());
        while let Some(type_name) = current {
            if let Some(found) = self.properties.get(&type_name)?.get(name) {
                return Some(found);
            }
            current = self.types.get(&type_name)?.0.clone();
        }
        None
    }

    /// `type_name` and its base types, nearest first.
    fn lineage(&self, type_name: &str) -> Vec<String> {
        let mut lineage = Vec::new();
        let mut current = Some(type_name.to_owned());
        while let Some(name) = current {
            current = self.types.get(&name).and_then(|(base, _)| base.clone());
            lineage.push(name);
        }
        lineage
    }

    /// The action `name` bound to `type_name` (or to one of its base types).
    fn action(&self, type_name: &str, name: &str) -> Option<&Action> {
        self.lineage(type_name).iter().find_map(|ty| {
            self.actions
                .iter()
                .find(|a| a.name == name && &a.bound_to == ty)
        })
    }

    /// What a write's body is written to.
    fn target(&self, template: &RequestTemplate) -> Result<Target, String> {
        let (ty, many) = self.resolve(template.path)?;
        match template.action {
            Some(name) => {
                if many {
                    return Err(format!("'{name}' is called on a collection"));
                }
                let action = self
                    .action(&ty, name)
                    .ok_or_else(|| format!("no action '{name}' bound to '{ty}'"))?;
                Ok(Target::Parameters(action.parameters.clone()))
            }
            None if template.method == Method::POST && !many => Err(format!(
                "a POST creates in a collection; '{ty}' is one entity"
            )),
            None if template.method == Method::PATCH && many => Err(format!(
                "a PATCH updates one entity; this is a collection of '{ty}'"
            )),
            None => Ok(Target::Type(ty)),
        }
    }

    /// The problems of `body` written to `target`.
    fn body_problems(&self, target: &Target, body: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        match target {
            Target::Type(ty) => self.walk_object(ty, body, "", &mut problems),
            Target::Parameters(parameters) => {
                let Value::Object(members) = body else {
                    return vec![format!("an action's body is {body}, not an object")];
                };
                for (name, value) in members {
                    // Graph reads an action's parameters in any case (the metadata spells
                    // sendMail's `Message`; Graph's own examples send `message`).
                    match parameters
                        .iter()
                        .find(|(p, _)| p.eq_ignore_ascii_case(name))
                    {
                        Some((_, parameter)) => self.walk(parameter, value, name, &mut problems),
                        None => problems.push(format!("'{name}' is not a parameter of the action")),
                    }
                }
            }
        }
        problems
    }

    /// `value` as an instance of the complex or entity type `ty`.
    fn walk_object(&self, ty: &str, value: &Value, at: &str, problems: &mut Vec<String>) {
        let Value::Object(members) = value else {
            problems.push(format!("{at}: '{ty}' is an object, not {value}"));
            return;
        };
        if !self.types.contains_key(ty) {
            problems.push(format!("{at}: no type '{ty}'"));
            return;
        }
        for (name, member) in members {
            let here = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            };
            match self.property(ty, name) {
                Some(property) => self.walk(property, member, &here, problems),
                None if self.member(ty, name).is_some() => problems.push(format!(
                    "{here}: a navigation property of '{ty}', not a property"
                )),
                None => problems.push(format!("{here}: not a property of '{ty}'")),
            }
        }
    }

    /// `value` as an instance of `property`'s type.
    fn walk(&self, property: &Property, value: &Value, at: &str, problems: &mut Vec<String>) {
        if value.is_null() {
            if !property.nullable {
                problems.push(format!("{at}: null, and '{}' is not nullable", property.ty));
            }
            return;
        }
        if let Some(item) = property
            .ty
            .strip_prefix("Collection(")
            .and_then(|t| t.strip_suffix(')'))
        {
            let Value::Array(items) = value else {
                problems.push(format!("{at}: '{}' is an array, not {value}", property.ty));
                return;
            };
            let item = Property {
                ty: short(item),
                nullable: false,
            };
            for (i, value) in items.iter().enumerate() {
                self.walk(&item, value, &format!("{at}[{i}]"), problems);
            }
            return;
        }
        let ty = property.ty.as_str();
        let fits = match ty {
            "Edm.String" | "Edm.Binary" | "Edm.Date" | "Edm.Duration" | "Edm.TimeOfDay" => {
                value.is_string()
            }
            "Edm.Guid" => value
                .as_str()
                .is_some_and(|s| uuid::Uuid::try_parse(s).is_ok()),
            "Edm.DateTimeOffset" => value
                .as_str()
                .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
            "Edm.Boolean" => value.is_boolean(),
            "Edm.Byte" | "Edm.SByte" | "Edm.Int16" | "Edm.Int32" | "Edm.Int64" => {
                value.is_i64() || value.is_u64()
            }
            "Edm.Double" | "Edm.Single" | "Edm.Decimal" => value.is_number(),
            _ if ty.starts_with("Edm.") => {
                problems.push(format!("{at}: no JSON form known for '{ty}'"));
                return;
            }
            _ => {
                if let Some(members) = self.enums.get(ty) {
                    // Graph reads enum values in any case (its examples send `Text`).
                    value
                        .as_str()
                        .is_some_and(|v| members.iter().any(|m| m.eq_ignore_ascii_case(v)))
                } else {
                    self.walk_object(ty, value, at, problems);
                    return;
                }
            }
        };
        if !fits {
            problems.push(format!("{at}: {value} is not a '{ty}'"));
        }
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

/// What a write's body is written to: an entity type, or a bound action's parameters.
#[derive(Debug, Clone)]
enum Target {
    Type(String),
    Parameters(Vec<(String, Property)>),
}

#[test]
fn every_request_the_core_builds_is_in_graphs_metadata() {
    let Some(csdl) = full_metadata() else {
        return;
    };
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
fn every_write_body_the_core_sends_is_in_graphs_metadata() {
    let Some(csdl) = full_metadata() else {
        return;
    };
    let subset = read_metadata(&subset_path());
    assert!(
        subset.is_some() || std::env::var_os("CI").is_none(),
        "the stand-in's metadata subset is not at {} and CI is set",
        subset_path().display()
    );
    let templates = request_templates();
    let writes: Vec<&RequestTemplate> = templates
        .iter()
        .filter(|t| t.method != Method::GET)
        .collect();
    assert!(writes.len() >= 9, "{writes:#?}");
    let mut problems = Vec::new();
    for template in &writes {
        let name = format!(
            "{} {}{}",
            template.method,
            template.path,
            template.action.map(|a| format!("/{a}")).unwrap_or_default()
        );
        let Some(body) = &template.body else {
            problems.push(format!("{name}: a write without a body type"));
            continue;
        };
        let target = match csdl.target(template) {
            Ok(target) => target,
            Err(problem) => {
                problems.push(format!("{name}: {problem}"));
                continue;
            }
        };
        for problem in csdl.body_problems(&target, body) {
            problems.push(format!("{name}: {problem}"));
        }
        // The stand-in's subset has fewer entity sets and actions: the target is the full
        // metadata's, its types must be the subset's too.
        if let Some(subset) = &subset {
            for problem in subset.body_problems(&target, body) {
                problems.push(format!("{name} (stand-in's subset): {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_body_walk_rejects_what_graph_does_not_take() {
    let Some(csdl) = full_metadata() else {
        return;
    };
    let application = Target::Type("application".into());
    let ok = json!({"displayName": "x", "web": {"redirectUris": ["https://a/cb"]},
        "api": {"requestedAccessTokenVersion": 2},
        "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000",
            "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"}]}]});
    assert_eq!(csdl.body_problems(&application, &ok), Vec::<String>::new());
    for (bad, why) in [
        (
            json!({"redirectUris": ["https://a/cb"]}),
            "not a property of 'application'",
        ),
        (
            json!({"web": {"redirectUri": "https://a/cb"}}),
            "web.redirectUri: not a property of 'webApplication'",
        ),
        (
            json!({"web": {"redirectUris": "https://a/cb"}}),
            "is an array",
        ),
        (json!({"web": ["https://a/cb"]}), "is an object"),
        (
            json!({"api": {"requestedAccessTokenVersion": "2"}}),
            "is not a 'Edm.Int32'",
        ),
        (
            json!({"requiredResourceAccess": [{"resourceAccess": [{"id": "not-a-guid"}]}]}),
            "is not a 'Edm.Guid'",
        ),
        (
            json!({"owners": []}),
            "a navigation property of 'application'",
        ),
        (
            json!({"isFallbackPublicClient": "yes"}),
            "is not a 'Edm.Boolean'",
        ),
        (json!({"displayName": 7}), "is not a 'Edm.String'"),
    ] {
        let problems = csdl.body_problems(&application, &bad);
        assert!(
            problems.iter().any(|p| p.contains(why)),
            "{bad}: {problems:?}"
        );
    }
    let password = RequestTemplate {
        method: Method::POST,
        path: "applications/{id}",
        select: &[],
        filter: &[],
        body: None,
        action: Some("addPassword"),
    };
    let target = csdl
        .target(&password)
        .expect("addPassword is bound to application");
    let problems = csdl.body_problems(
        &target,
        &json!({"passwordCredential": {"endDateTime": "next year"}, "keyId": "x"}),
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("is not a 'Edm.DateTimeOffset'")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("'keyId' is not a parameter")),
        "{problems:?}"
    );
    let wrong_action = RequestTemplate {
        action: Some("removeKey"),
        path: "oauth2PermissionGrants/{id}",
        ..password.clone()
    };
    assert!(csdl.target(&wrong_action).is_err());
    let post_to_one = RequestTemplate {
        action: None,
        ..password
    };
    assert!(
        csdl.target(&post_to_one).is_err(),
        "a POST to one entity creates nothing"
    );
    let mail = Target::Parameters(
        csdl.action("user", "sendMail")
            .expect("sendMail is bound to user")
            .parameters
            .clone(),
    );
    let problems = csdl.body_problems(
        &mail,
        &json!({"message": {"body": {"contentType": "markdown"}}, "saveToSentItems": "no"}),
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn the_resolver_rejects_what_graph_does_not_have() {
    let Some(csdl) = full_metadata() else {
        return;
    };
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
