//! The parameters of each function the JS API exposes: one struct per options type, read
//! from the JSON text the wrapper sends, so that every option is named, typed and checked
//! in one place.
//!
//! Unknown keys are refused (`deny_unknown_fields`): an option we do not understand is a
//! `TypeError` with a did-you-mean, never a silently ignored typo. The key lists below
//! ([`Params::FIELDS`]) are what the TypeScript types of pkg/index.d.ts are generated from
//! (`make codes`, [`typescript`]), and a test holds them equal to what serde accepts.
//!
//! The wrapper gives a parsed JS options object; JSON text is what crosses the boundary
//! because it is the cheap way in (one string instead of one crossing per field, and no
//! serde-wasm-bindgen in the lean module: docs/performance.md), and because no options at
//! all (the usual call) cross as nothing.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::Deserialize;

use std::sync::Arc;

use crate::diagnostic::quote;
use crate::{ArchDocument, Options, PresencePolicy, Profile, UserSchema};

/// A misuse of the API: the message of the `TypeError` the JS wrapper throws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misuse(pub String);

/// One option as the TypeScript types show it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key, as JS spells it.
    pub name: &'static str,
    /// Its TypeScript type.
    pub ts: &'static str,
    /// Its doc comment.
    pub doc: &'static str,
}

/// A [`Field`], in one line per option.
const fn field(name: &'static str, ts: &'static str, doc: &'static str) -> Field {
    Field { name, ts, doc }
}

/// The options of one family of functions.
pub trait Params: DeserializeOwned + Default + Clone + 'static {
    /// The TypeScript interface's name.
    const TS_NAME: &'static str;
    /// The interface's doc comment.
    const TS_DOC: &'static str;
    /// The options, in the order messages list them.
    const FIELDS: &'static [Field];

    /// Reads the options of `function` from `text` (absent: no options).
    fn read(function: &str, text: Option<&str>) -> Result<Self, Misuse> {
        let Some(text) = text else {
            return Ok(Self::default());
        };
        if let Some(read) = last_read::<Self>(text) {
            return Ok(read);
        }
        let read: Self = serde_json::from_str(text).map_err(|error| {
            // An unknown key is reported first, as the wrapper did before Rust read the
            // options: it is the likelier mistake, and its message names the right key.
            // Then the first bad option in the order of FIELDS, whatever order the
            // caller's object has, so that one object always gets one message.
            unknown_key(function, text, Self::FIELDS)
                .or_else(|| first_bad_field::<Self>(text))
                .unwrap_or_else(|| Misuse(without_position(&error.to_string())))
        })?;
        remember_read(text, &read);
        Ok(read)
    }
}

thread_local! {
    /// The last options read, by their text: a CLI run or a page sends the same options
    /// with every document, and reading them again was most of what options cost a call.
    static LAST_READ: std::cell::RefCell<Option<(String, Box<dyn std::any::Any>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The options last read from `text`, when they were a `P`.
fn last_read<P: Params>(text: &str) -> Option<P> {
    LAST_READ.with_borrow(|last| match last {
        Some((last_text, read)) if last_text == text => read.downcast_ref::<P>().cloned(),
        _ => None,
    })
}

fn remember_read<P: Params>(text: &str, read: &P) {
    LAST_READ.with_borrow_mut(|last| *last = Some((text.to_owned(), Box::new(read.clone()))));
}

/// The error of the first option of `text`, in the order of `P::FIELDS`, that `P` refuses
/// when read alone.
fn first_bad_field<P: Params>(text: &str) -> Option<Misuse> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    P::FIELDS.iter().find_map(|field| {
        let value = object.get(field.name)?;
        let alone = serde_json::json!({ field.name: value });
        serde_json::from_value::<P>(alone)
            .err()
            .map(|e| Misuse(without_position(&e.to_string())))
    })
}

/// The first key of `text` (an object) that is not one of `fields`, as the `TypeError`.
fn unknown_key(function: &str, text: &str, fields: &[Field]) -> Option<Misuse> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let key = object.keys().find(|k| !known.contains(&k.as_str()))?;
    let rest = match crate::suggest::did_you_mean(key, &known) {
        Some(close) => format!("did you mean {}?", quote(close)),
        None if known.len() == 1 => format!("the only option is {}", listed(&known)),
        None => format!("the options are {}", listed(&known)),
    };
    Some(Misuse(format!(
        "{function}(): unknown option {}; {rest}",
        quote(key)
    )))
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
fn listed(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// A serde_json message without its " at line 1 column 12": the text is the wrapper's,
/// so a place in it would mean nothing to the caller.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
        _ => message.to_owned(),
    }
}

/// The options type of each JS-facing function, by the function's JS name: the one map
/// from names to params structs, for the exports that take the name.
enum Family {
    Document,
    ReleaseView,
    Build,
    ParseReference,
}

impl Family {
    fn of(function: &str) -> Option<Family> {
        Some(match function {
            "validate" | "upgrade" => Family::Document,
            "releaseView" => Family::ReleaseView,
            "compareArches" | "checkBuild" | "checkRelease" => Family::Build,
            "parseReference" => Family::ParseReference,
            _ => return None,
        })
    }
}

/// The names the options of one function take, for the wrapper's messages about an
/// options value that is not an object at all.
pub fn option_names(function: &str) -> Option<&'static [Field]> {
    Some(match Family::of(function)? {
        Family::Document => DocumentParams::FIELDS,
        Family::ReleaseView => ReleaseViewParams::FIELDS,
        Family::Build => BuildParams::FIELDS,
        Family::ParseReference => ParseReferenceParams::FIELDS,
    })
}

/// Reads the options of `function` only to refuse them: for the wrapper, which checks the
/// options before it compiles a schema or reads the documents, so that a misspelt key is
/// the first thing the caller hears of.
pub fn check(function: &str, text: Option<&str>) -> Result<(), Misuse> {
    let Some(family) = Family::of(function) else {
        return Err(Misuse(format!(
            "{} is not a function of the API",
            quote(function)
        )));
    };
    match family {
        Family::Document => DocumentParams::read(function, text).map(drop),
        Family::ReleaseView => ReleaseViewParams::read(function, text).map(drop),
        Family::Build => BuildParams::read(function, text).map(drop),
        Family::ParseReference => ParseReferenceParams::read(function, text).map(drop),
    }
}

/// `options.profile`: a profile's name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProfileParam(pub Profile);

impl<'de> Deserialize<'de> for ProfileParam {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = string_or(deserializer, "options.profile must be a string")?;
        Profile::from_name(&name).map(ProfileParam).ok_or_else(|| {
            de::Error::custom(format!(
                "options.profile {} is not a profile; expected \"canonical\" or \"compat\"",
                quote(&name)
            ))
        })
    }
}

/// `options.buildId`: a build id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildIdParam(pub String);

impl<'de> Deserialize<'de> for BuildIdParam {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string_or(deserializer, "options.buildId must be a string").map(BuildIdParam)
    }
}

/// `options.schema` as the wrapper sends it: the number `registerSchema` gave the
/// schema's text, or the text itself.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaParam {
    /// A schema compiled earlier.
    Registered(f64),
    /// JSON text, compiled (and cached) on use.
    Text(String),
}

impl<'de> Deserialize<'de> for SchemaParam {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Number(n) => Ok(SchemaParam::Registered(n.as_f64().unwrap_or(-1.0))),
            serde_json::Value::String(text) => Ok(SchemaParam::Text(text)),
            _ => Err(de::Error::custom(
                "options.schema (as JSON text) must be a string",
            )),
        }
    }
}

impl SchemaParam {
    /// The compiled schema: the registered one, or the text compiled (cached by text, so
    /// repeated calls with one schema compile it once).
    pub fn resolve(&self) -> Result<Arc<UserSchema>, Misuse> {
        match self {
            SchemaParam::Registered(id) => {
                // The wrapper forgets its numbers when the instance restarts.
                let whole = id.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(id);
                whole
                    .then_some(*id as u32)
                    .and_then(UserSchema::registered)
                    .ok_or_else(|| {
                        Misuse(format!("options.schema: no schema is registered as {id}"))
                    })
            }
            SchemaParam::Text(text) => UserSchema::cached(text)
                .map_err(|e| Misuse(format!("options.schema cannot be used: {}", e.message))),
        }
    }
}

/// The options of one call, resolved and owned, so that [`Options`] can borrow from them.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Which rules apply.
    pub profile: Profile,
    /// The compiled user schema, when one was given.
    pub schema: Option<Arc<UserSchema>>,
    /// The build id, when one was given.
    pub build_id: Option<String>,
}

impl CallOptions {
    /// The options as the core takes them.
    pub fn options(&self) -> Options<'_> {
        Options {
            profile: self.profile,
            schema: self.schema.as_deref(),
            build_id: self.build_id.as_deref(),
        }
    }

    fn of(profile: Option<ProfileParam>, build_id: Option<BuildIdParam>) -> CallOptions {
        CallOptions {
            profile: profile.map(|p| p.0).unwrap_or_default(),
            schema: None,
            build_id: build_id.map(|b| b.0),
        }
    }
}

impl DocumentParams {
    /// The call's options, with the schema compiled or found.
    pub fn resolve(self) -> Result<CallOptions, Misuse> {
        let schema = self.schema.as_ref().map(SchemaParam::resolve).transpose()?;
        Ok(CallOptions {
            schema,
            ..CallOptions::of(self.profile, self.build_id)
        })
    }
}

impl ReleaseViewParams {
    /// The call's options.
    pub fn resolve(self) -> CallOptions {
        CallOptions::of(self.profile, self.build_id)
    }
}

impl BuildParams {
    /// The call's options and presence rules.
    pub fn resolve(self) -> (CallOptions, PresencePolicy) {
        let presence = self.presence.map(|p| p.0).unwrap_or_default();
        (CallOptions::of(self.profile, self.build_id), presence)
    }
}

/// `options.presence`: where each entry key must be present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PresenceParam(pub PresencePolicy);

impl<'de> Deserialize<'de> for PresenceParam {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        PresencePolicy::from_json(&value)
            .map(PresenceParam)
            .map_err(|message| de::Error::custom(format!("options.{message}")))
    }
}

/// `options.normalize`, read as JS reads a condition (the wrapper took `Boolean(value)`
/// before the options crossed as JSON, and callers kept passing `1` or `"yes"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Truthy(pub bool);

impl<'de> Deserialize<'de> for Truthy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        Ok(Truthy(match Value::deserialize(deserializer)? {
            Value::Null => false,
            Value::Bool(b) => b,
            Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
            Value::String(s) => !s.is_empty(),
            Value::Array(_) | Value::Object(_) => true,
        }))
    }
}

/// A string, or the error `message` for any other JSON value. A visitor rather than a
/// `serde_json::Value` first: no allocation but the string's own, on every call with
/// options.
fn string_or<'de, D: Deserializer<'de>>(
    deserializer: D,
    message: &'static str,
) -> Result<String, D::Error> {
    struct StringOr(&'static str);

    impl<'de> de::Visitor<'de> for StringOr {
        type Value = String;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str(self.0)
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
            Ok(value.to_owned())
        }

        fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
            Ok(value)
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<String, E> {
            Err(E::custom(self.0))
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<String, E> {
            Err(E::custom(self.0))
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<String, E> {
            Err(E::custom(self.0))
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<String, E> {
            Err(E::custom(self.0))
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
            Err(de::Error::custom(self.0))
        }

        fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
            Err(de::Error::custom(self.0))
        }
    }

    deserializer.deserialize_any(StringOr(message))
}

/// The options of `validate` and `upgrade`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DocumentParams {
    /// Which rules apply.
    pub profile: Option<ProfileParam>,
    /// An extra JSON Schema for the whole document.
    pub schema: Option<SchemaParam>,
    /// The build id, to tell floating tags from build tags.
    pub build_id: Option<BuildIdParam>,
}

const PROFILE: Field = field(
    "profile",
    "Profile",
    "Which rules apply; default `\"canonical\"`. Anything else throws a `TypeError`.",
);

impl Params for DocumentParams {
    const TS_NAME: &'static str = "Options";
    const TS_DOC: &'static str = "Options of `validate` and `upgrade`. Every function's options may be left out, or be\n`undefined` or `null` (no options); otherwise they must be a plain object, and a key the\nfunction does not know throws a `TypeError` (`unknown option \"buildid\"; did you mean\n\"buildId\"?`).";
    const FIELDS: &'static [Field] = &[
        PROFILE,
        field("schema", "string | JsonObject | boolean", "An extra JSON Schema for the whole document (e.g. cosa's `v1.json`), as an object or\nas JSON text. Compiled once per distinct text and cached. A schema that does not\ncompile throws a `TypeError`. It runs in the schema module: loaded by itself in Node,\nafter `await loadSchemaSupport()` in browsers."),
        field("buildId", "string", "The build id, to tell floating tags (`stable`) from build tags (`36.20221014.3.0`)\nin each entry's `readiness`; default: the document's `buildid`."),
    ];
}

/// The options of `releaseView`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReleaseViewParams {
    /// Severities of the document-level findings.
    pub profile: Option<ProfileParam>,
    /// The build id.
    pub build_id: Option<BuildIdParam>,
}

impl Params for ReleaseViewParams {
    const TS_NAME: &'static str = "ReleaseOptions";
    const TS_DOC: &'static str = "Options of `releaseView`.";
    const FIELDS: &'static [Field] = &[
        field(
            "profile",
            "Profile",
            "Severities of the document-level findings; default `\"canonical\"`.",
        ),
        field(
            "buildId",
            "string",
            "The build id; default: the document's `buildid`.",
        ),
    ];
}

/// The options of `compareArches`, `checkBuild` and `checkRelease`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BuildParams {
    /// Which rules apply.
    pub profile: Option<ProfileParam>,
    /// The build id.
    pub build_id: Option<BuildIdParam>,
    /// Where each entry key must be present.
    pub presence: Option<PresenceParam>,
}

impl Params for BuildParams {
    const TS_NAME: &'static str = "CompareOptions";
    const TS_DOC: &'static str = "Options of `compareArches`.";
    const FIELDS: &'static [Field] = &[
        field("profile", "Profile", "Which rules apply; default `\"canonical\"`."),
        field("buildId", "string", "The build id; default: each document's `buildid`."),
        field("presence", "Partial<Record<EntryKey, Presence>>", "Where each entry key must be present, overriding the pipelines' defaults\n(`base-oscontainer`, `oscontainer` and `extensions-container` on all arches or none,\n`kubevirt` on any); an invalid value throws a `TypeError`."),
    ];
}

/// The options of `parseReference`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ParseReferenceParams {
    /// Apply Docker's familiar normalisation first.
    pub normalize: Option<Truthy>,
}

impl Params for ParseReferenceParams {
    const TS_NAME: &'static str = "ParseReferenceOptions";
    const TS_DOC: &'static str = "Options of `parseReference`.";
    const FIELDS: &'static [Field] = &[field("normalize", "boolean", "Apply Docker's familiar normalisation first (`fedora` → `docker.io/library/fedora`). Default false.")];
}

/// One document of a build as the wrapper lays it out in the shared input buffer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentLayout {
    /// Its architecture, when the caller gave one.
    pub arch: Option<String>,
    /// Its name (a file name), when the caller gave one.
    pub name: Option<String>,
    /// Its length in bytes in the buffer.
    pub length: usize,
    /// False when the wrapper wrote the document from a parsed JS value, so that
    /// positions in it would mean nothing to the caller.
    pub positions: bool,
}

/// How the documents of one call lie in its input buffer, one after the other: the
/// release.json first, when there is one, then the meta.json files.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The release.json of `checkRelease`.
    pub release: Option<DocumentLayout>,
    /// The meta.json files, one per architecture.
    pub documents: Vec<DocumentLayout>,
}

/// The documents of one call, cut out of the one buffer they crossed in (one crossing for
/// all documents instead of one per document).
#[derive(Debug, Clone)]
pub struct LaidOut<'i> {
    /// How they lay.
    pub layout: Layout,
    /// The release.json's bytes, when the layout has one.
    pub release: Option<&'i [u8]>,
    /// Each meta.json's bytes.
    pub inputs: Vec<&'i [u8]>,
}

impl Layout {
    /// Reads the layout of `function`'s `inputs` (JSON text) and cuts them.
    pub fn read<'i>(function: &str, text: &str, inputs: &'i [u8]) -> Result<LaidOut<'i>, Misuse> {
        let layout: Layout = serde_json::from_str(text)
            .map_err(|e| Misuse(format!("{function}: bad document layout: {e}")))?;
        let mut rest = inputs;
        let mut cut = |length: usize| {
            let (document, tail) = rest.split_at_checked(length).ok_or_else(|| {
                Misuse(format!("{function}: the document lengths exceed the input"))
            })?;
            rest = tail;
            Ok::<_, Misuse>(document)
        };
        let release = match &layout.release {
            Some(r) => Some(cut(r.length)?),
            None => None,
        };
        let inputs = layout
            .documents
            .iter()
            .map(|d| cut(d.length))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(LaidOut {
            layout,
            release,
            inputs,
        })
    }
}

impl LaidOut<'_> {
    /// The meta.json files as the build checks take them.
    pub fn documents(&self) -> Vec<ArchDocument<'_>> {
        self.layout
            .documents
            .iter()
            .zip(&self.inputs)
            .map(|(doc, input)| ArchDocument {
                arch: doc.arch.as_deref(),
                name: doc.name.as_deref(),
                input,
            })
            .collect()
    }

    /// Whether positions mean anything in each meta.json (false: the wrapper wrote it).
    pub fn positions(&self) -> Vec<bool> {
        self.layout.documents.iter().map(|d| d.positions).collect()
    }
}

/// The TypeScript declarations of the options types, as pkg/index.d.ts holds them
/// between its `options types` markers.
pub fn typescript() -> String {
    let mut out = String::new();
    interface::<DocumentParams>(&mut out);
    interface::<ReleaseViewParams>(&mut out);
    interface::<BuildParams>(&mut out);
    interface::<ParseReferenceParams>(&mut out);
    out
}

fn interface<P: Params>(out: &mut String) {
    out.push_str(&doc_comment("", P::TS_DOC));
    out.push_str(&format!("export interface {} {{\n", P::TS_NAME));
    for field in P::FIELDS {
        out.push_str(&doc_comment("  ", field.doc));
        out.push_str(&format!("  {}?: {};\n", field.name, field.ts));
    }
    out.push_str("}\n\n");
}

/// `text` as a JSDoc comment: one line when it fits on one.
fn doc_comment(indent: &str, text: &str) -> String {
    if !text.contains('\n') {
        return format!("{indent}/** {text} */\n");
    }
    let mut out = format!("{indent}/**\n");
    for line in text.lines() {
        out.push_str(&format!("{indent} * {line}\n"));
    }
    out.push_str(&format!("{indent} */\n"));
    out
}
