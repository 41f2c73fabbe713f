//! JSON Schemas: the embedded one for entries, and one the user may supply for the whole
//! document (e.g. cosa's `v1.json`).
//!
//! Both are compiled once: the embedded schema on first use, user schemas per distinct
//! text in a small cache, because a page re-validates on every keystroke and a CLI run
//! checks thousands of files against one schema.

use std::sync::{Arc, Mutex, OnceLock};

#[cfg(feature = "schema")]
use jsonschema::error::{TypeKind, ValidationErrorKind};
#[cfg(feature = "schema")]
use jsonschema::Validator;
use serde_json::Value as Json;

/// The embedded schema's text (also shipped in the npm package for editors).
///
/// Its source is `src/oscontainer.schema.json`, in the crate, so that the library builds
/// from `src/` alone; `make pkg` copies it into `pkg/` for the package.
pub const EMBEDDED_SCHEMA: &str = include_str!("oscontainer.schema.json");

/// The embedded schema as a JSON value.
pub fn embedded_schema() -> Json {
    serde_json::from_str(EMBEDDED_SCHEMA).unwrap_or(Json::Null)
}

/// A compiled user-supplied JSON Schema.
pub struct UserSchema {
    #[cfg(feature = "schema")]
    validator: Validator,
    /// A build without the `schema` feature has no schemas: none can be made.
    #[cfg(not(feature = "schema"))]
    never: std::convert::Infallible,
}

impl std::fmt::Debug for UserSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UserSchema")
    }
}

/// Why a user schema could not be used. This is a misuse of the API (a bad argument),
/// not a finding in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// One sentence.
    pub message: String,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SchemaError {}

impl UserSchema {
    /// Compiles a schema given as JSON text. Remote `$ref`s are not fetched.
    pub fn compile(text: &str) -> Result<UserSchema, SchemaError> {
        let value: Json = serde_json::from_str(text).map_err(|e| SchemaError {
            message: format!("the schema is not valid JSON: {e}"),
        })?;
        Self::from_value(&value)
    }

    /// Compiles a schema given as a JSON value; in a build without the `schema` feature,
    /// an error that says so.
    #[cfg(not(feature = "schema"))]
    pub fn from_value(_value: &Json) -> Result<UserSchema, SchemaError> {
        Err(SchemaError {
            message: "this build has no JSON Schema support (the cargo feature \"schema\")"
                .to_owned(),
        })
    }

    /// Compiles a schema given as a JSON value.
    #[cfg(feature = "schema")]
    pub fn from_value(value: &Json) -> Result<UserSchema, SchemaError> {
        let validator = jsonschema::options()
            .should_validate_formats(false)
            .build(value)
            .map_err(|e| {
                let at = e.instance_path().as_str();
                let place = if at.is_empty() {
                    "at its root".to_owned()
                } else {
                    format!("at {at}")
                };
                SchemaError {
                    message: format!("the schema cannot be compiled: {place}, {}", e.masked()),
                }
            })?;
        Ok(UserSchema { validator })
    }

    /// Compiles `text`, or returns the copy compiled earlier for the same text.
    pub fn cached(text: &str) -> Result<Arc<UserSchema>, SchemaError> {
        const CAPACITY: usize = 4;
        static CACHE: OnceLock<Mutex<SchemaCache>> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
        if let Ok(guard) = cache.lock() {
            if let Some((_, schema)) = guard.iter().find(|(t, _)| t == text) {
                return Ok(Arc::clone(schema));
            }
        }
        let schema = Arc::new(Self::compile(text)?);
        if let Ok(mut guard) = cache.lock() {
            if guard.len() >= CAPACITY {
                guard.remove(0);
            }
            guard.push((text.to_owned(), Arc::clone(&schema)));
        }
        Ok(schema)
    }

    /// Compiles `text` (or takes the cached copy) and gives it a number, so that a caller
    /// across the wasm boundary can name the schema on later calls instead of sending its
    /// text again (cosa's schema is 30 KB; sending and comparing it was a fifth of a call).
    /// The last [`REGISTERED`] numbers stay valid.
    pub fn register(text: &str) -> Result<u32, SchemaError> {
        let schema = Self::cached(text)?;
        let registry = registry();
        let Ok(mut guard) = registry.lock() else {
            return Err(SchemaError {
                message: "the schema registry is unavailable".to_owned(),
            });
        };
        let id = guard.last().map_or(1, |(last, _)| last.wrapping_add(1));
        if guard.len() >= REGISTERED {
            guard.remove(0);
        }
        guard.push((id, schema));
        Ok(id)
    }

    /// The schema registered under `id`, while it is among the last [`REGISTERED`].
    pub fn registered(id: u32) -> Option<Arc<UserSchema>> {
        let guard = registry().lock().ok()?;
        guard
            .iter()
            .find(|(known, _)| *known == id)
            .map(|(_, schema)| Arc::clone(schema))
    }

    /// Whether `instance` satisfies the schema (cheaper than collecting violations).
    #[cfg(feature = "schema")]
    pub(crate) fn is_valid(&self, instance: &Json) -> bool {
        self.validator.is_valid(instance)
    }

    #[cfg(not(feature = "schema"))]
    pub(crate) fn is_valid(&self, _instance: &Json) -> bool {
        match self.never {}
    }

    #[cfg(not(feature = "schema"))]
    pub(crate) fn violations(&self, _instance: &Json) -> Vec<Violation> {
        match self.never {}
    }

    /// Every violation of the schema by `instance`. A disallowed property becomes one
    /// violation per property, pointing at that property.
    #[cfg(feature = "schema")]
    pub(crate) fn violations(&self, instance: &Json) -> Vec<Violation> {
        let mut out = Vec::new();
        for e in self.validator.iter_errors(instance) {
            let pointer = e.instance_path().as_str().to_owned();
            match e.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected }
                | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                    for name in unexpected {
                        let mut at = pointer.clone();
                        crate::json::push_token(&mut at, name);
                        out.push(Violation {
                            message: format!(
                                "{} has the property {} that the schema does not allow",
                                place(&pointer),
                                crate::diagnostic::quote(name)
                            ),
                            pointer: at,
                            at_key: true,
                        });
                    }
                }
                kind => out.push(Violation {
                    message: describe(kind, &pointer, json_type(e.instance())),
                    pointer,
                    at_key: false,
                }),
            }
        }
        out
    }
}

#[cfg(feature = "schema")]
fn json_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// How a message names the value at `pointer`.
#[cfg(feature = "schema")]
fn place(pointer: &str) -> String {
    if pointer.is_empty() {
        "the document".to_owned()
    } else {
        pointer.to_owned()
    }
}

/// How many registered schema numbers stay valid.
pub const REGISTERED: usize = 16;

/// Registered schemas by number, oldest first.
type Registry = Vec<(u32, Arc<UserSchema>)>;

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(Vec::new()))
}

/// Recently compiled schemas by their text, oldest first.
type SchemaCache = Vec<(String, Arc<UserSchema>)>;

/// One schema error, before it becomes a diagnostic.
pub(crate) struct Violation {
    pub pointer: String,
    pub message: String,
    /// The finding is about a property's presence: point at its key.
    pub at_key: bool,
}

#[cfg(feature = "schema")]
/// A short sentence for a schema error, without dumping the instance.
pub(crate) fn describe(kind: &ValidationErrorKind, at: &str, found: &str) -> String {
    use ValidationErrorKind as K;
    let here = place(at);
    match kind {
        K::Required { property } => format!("{here} is missing the required property {property}"),
        K::Type { kind } => format!("{here} must be {}, but it is {found}", type_names(kind)),
        K::AdditionalProperties { .. } | K::UnevaluatedProperties { .. } => {
            format!("{here} has properties the schema does not allow")
        }
        K::Enum { options } => format!("{here} must be one of {}", short_json(options)),
        K::Constant { expected_value } => format!("{here} must be {}", short_json(expected_value)),
        K::Pattern { pattern } => format!("{here} does not match the pattern {pattern:?}"),
        K::MinLength { limit } => format!("{here} must be at least {limit} characters long"),
        K::MaxLength { limit } => format!("{here} must be at most {limit} characters long"),
        K::MinItems { limit } => format!("{here} must have at least {limit} items"),
        K::MaxItems { limit } => format!("{here} must have at most {limit} items"),
        K::Minimum { limit } => format!("{here} must be at least {limit}"),
        K::Maximum { limit } => format!("{here} must be at most {limit}"),
        K::ExclusiveMinimum { limit } => format!("{here} must be greater than {limit}"),
        K::ExclusiveMaximum { limit } => format!("{here} must be less than {limit}"),
        K::Format { format } => format!("{here} is not a valid {format}"),
        K::UniqueItems => format!("{here} must not contain duplicate items"),
        K::FalseSchema => format!("{here} is not allowed by the schema"),
        K::AnyOf { .. } | K::OneOfNotValid { .. } => {
            format!("{here} matches none of the allowed alternatives")
        }
        K::OneOfMultipleValid { .. } => {
            format!("{here} matches more than one exclusive alternative")
        }
        K::Not { .. } => format!("{here} matches a schema it must not match"),
        _ => format!("{here} violates the schema"),
    }
}

#[cfg(feature = "schema")]
fn type_names(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => article(&t.to_string()),
        TypeKind::Multiple(set) => {
            let names: Vec<String> = set.iter().map(|t| article(&t.to_string())).collect();
            names.join(" or ")
        }
    }
}

#[cfg(feature = "schema")]
fn article(name: &str) -> String {
    match name {
        "null" => "null".to_owned(),
        "array" | "integer" | "object" => format!("an {name}"),
        other => format!("a {other}"),
    }
}

#[cfg(feature = "schema")]
fn short_json(value: &Json) -> String {
    let text = value.to_string();
    crate::diagnostic::quote(&text).trim_matches('"').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_returns_the_same_compiled_schema() {
        let text = r#"{"type": "object"}"#;
        let a = UserSchema::cached(text).expect("compiles");
        let b = UserSchema::cached(text).expect("compiles");
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn bad_schemas_are_errors() {
        assert!(UserSchema::compile("{").is_err());
        let e = UserSchema::compile(r#"{"type": 12}"#).expect_err("invalid");
        assert!(
            e.message.starts_with("the schema cannot be compiled"),
            "{}",
            e.message
        );
    }
}
