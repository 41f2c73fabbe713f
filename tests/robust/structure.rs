//! The embedded schema, as jsonschema reads it, against `oscontainer::structure`, the
//! same rules written as code for the module that ships without a validator. Shared by
//! the differential tests (`tests/structure.rs`, the property tests, the bad-input
//! catalogue, the corpus) and the `structure` fuzz target: any disagreement in a finding
//! (its kind or its pointer) fails.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind as K;
use jsonschema::Validator;
use oscontainer::entry::ENTRY_KEYS;
use oscontainer::json::{self, Keep, Node};
use oscontainer::schema::EMBEDDED_SCHEMA;
use oscontainer::structure::{problems, ProblemKind};

/// The validator of `#/$defs/entry`, the schema every top-level entry is held to.
pub fn entry_validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let mut schema: serde_json::Value =
            serde_json::from_str(EMBEDDED_SCHEMA).expect("the embedded schema is JSON");
        let defs = schema
            .get_mut("$defs")
            .expect("the embedded schema has $defs")
            .take();
        let entry = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": defs,
            "$ref": "#/$defs/entry",
        });
        jsonschema::validator_for(&entry).expect("the embedded schema compiles")
    })
}

/// One finding, comparable across both: `(pointer, kind)`, unexpected keys sorted.
type Finding = (String, String);

/// What jsonschema says of the entry `node`, without the grammar keywords the scanners
/// own.
pub fn schema_findings(node: &Node<'_>, text: &str) -> Vec<Finding> {
    let instance = json::to_json(node, text);
    let mut found: Vec<Finding> = entry_validator()
        .iter_errors(&instance)
        .filter_map(|e| {
            let at = e.instance_path().as_str().to_owned();
            let kind = match e.kind() {
                K::Required { .. } => "image-missing".to_owned(),
                K::AdditionalProperties { unexpected } => {
                    let mut names = unexpected.clone();
                    names.sort();
                    format!("unexpected {names:?}")
                }
                K::Type { .. } => "wrong-type".to_owned(),
                K::Pattern { .. } | K::MinLength { .. } => return None,
                other => panic!(
                    "the embedded schema reports {other:?} at {at}, which structure.rs does not know: \
                     the schema changed, so the code must follow"
                ),
            };
            Some((at, kind))
        })
        .collect();
    found.sort();
    found
}

/// What `structure::problems` says of the entry `node`.
pub fn native_findings(node: &Node<'_>) -> Vec<Finding> {
    let mut found: Vec<Finding> = problems(node, false)
        .into_iter()
        .map(|p| {
            let kind = match p.kind {
                ProblemKind::ImageMissing => "image-missing".to_owned(),
                ProblemKind::Unexpected(mut names) => {
                    names.sort();
                    format!("unexpected {names:?}")
                }
                ProblemKind::WrongType => "wrong-type".to_owned(),
            };
            (p.at, kind)
        })
        .collect();
    found.sort();
    found
}

/// Compares both on every top-level entry object of `input` (the last of duplicate
/// keys, as the consumers read it); returns how many entries were compared.
pub fn check_structure(input: &[u8]) -> usize {
    let Ok(text) = json::decode(input) else {
        return 0;
    };
    let Ok(parsed) = json::parse(text, Keep::All) else {
        return 0;
    };
    let Some(members) = parsed.root.members() else {
        return 0;
    };
    let mut compared = 0;
    for key in ENTRY_KEYS {
        let Some(member) = json::last_member(members, key) else {
            continue;
        };
        if member.value.members().is_none() {
            continue; // entry-not-object, reported before any schema check
        }
        assert_eq!(
            native_findings(&member.value),
            schema_findings(&member.value, text),
            "structure.rs and the embedded schema disagree on {key} in {text}"
        );
        compared += 1;
    }
    compared
}
