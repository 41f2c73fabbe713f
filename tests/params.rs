//! The options of each JS function, read from JSON text into its params struct: the
//! `TypeError` messages, the order they are reported in, and that the key lists the
//! TypeScript types are generated from are exactly the keys serde accepts.

use oscontainer::params::{
    BuildParams, DocumentParams, Layout, Misuse, Params, ParseReferenceParams, ReleaseViewParams,
};
use oscontainer::Profile;

fn misuse<P: Params + std::fmt::Debug>(function: &str, text: &str) -> String {
    match P::read(function, Some(text)) {
        Err(Misuse(message)) => message,
        Ok(read) => panic!("{text} was accepted as {read:?}"),
    }
}

#[test]
fn an_unknown_key_gets_a_did_you_mean_or_the_list() {
    assert_eq!(
        misuse::<DocumentParams>("validate", r#"{"buildid": "x"}"#),
        r#"validate(): unknown option "buildid"; did you mean "buildId"?"#
    );
    assert_eq!(
        misuse::<DocumentParams>("upgrade", r#"{"profile": "compat", "zzz": 1}"#),
        r#"upgrade(): unknown option "zzz"; the options are "profile", "schema" and "buildId""#
    );
    assert_eq!(
        misuse::<ReleaseViewParams>("releaseView", r#"{"schema": "{}"}"#),
        r#"releaseView(): unknown option "schema"; the options are "profile" and "buildId""#
    );
    assert_eq!(
        misuse::<BuildParams>("checkBuild", r#"{"presense": {}}"#),
        r#"checkBuild(): unknown option "presense"; did you mean "presence"?"#
    );
    assert_eq!(
        misuse::<ParseReferenceParams>("parseReference", r#"{"strict": true}"#),
        r#"parseReference(): unknown option "strict"; the only option is "normalize""#
    );
}

#[test]
fn an_unknown_key_is_reported_before_a_bad_value() {
    assert_eq!(
        misuse::<DocumentParams>("validate", r#"{"profile": 1, "profle": "compat"}"#),
        r#"validate(): unknown option "profle"; did you mean "profile"?"#
    );
}

#[test]
fn a_bad_value_is_named_without_a_place_in_the_wrappers_text() {
    assert_eq!(
        misuse::<DocumentParams>("validate", r#"{"profile": 42}"#),
        "options.profile must be a string"
    );
    assert_eq!(
        misuse::<DocumentParams>("validate", r#"{"profile": "strict"}"#),
        r#"options.profile "strict" is not a profile; expected "canonical" or "compat""#
    );
    assert_eq!(
        misuse::<ReleaseViewParams>("releaseView", r#"{"buildId": ["a"]}"#),
        "options.buildId must be a string"
    );
    assert_eq!(
        misuse::<DocumentParams>("validate", r#"{"schema": true}"#),
        "options.schema (as JSON text) must be a string"
    );
    assert_eq!(
        misuse::<BuildParams>("compareArches", r#"{"presence": {"kubevirt": 3}}"#),
        r#"options.presence.kubevirt must be "all", "any" or a list of architectures, not 3"#
    );
}

#[test]
fn several_bad_values_report_the_first_in_the_documented_order() {
    // The caller's key order does not decide which one is named.
    assert_eq!(
        misuse::<DocumentParams>("validate", r#"{"buildId": 1, "profile": 2}"#),
        "options.profile must be a string"
    );
}

#[test]
fn absent_and_null_options_are_the_defaults() {
    let none = DocumentParams::read("validate", None).expect("no options");
    assert!(none.profile.is_none() && none.schema.is_none() && none.build_id.is_none());
    let nulls = DocumentParams::read(
        "validate",
        Some(r#"{"profile": null, "schema": null, "buildId": null}"#),
    )
    .expect("null options");
    let call = nulls.resolve().expect("resolves");
    assert_eq!(call.profile, Profile::Canonical);
    assert!(call.schema.is_none() && call.build_id.is_none());
    let compat = DocumentParams::read(
        "validate",
        Some(r#"{"profile": "compat", "buildId": "36.1"}"#),
    )
    .expect("options")
    .resolve()
    .expect("resolves");
    assert_eq!(compat.profile, Profile::Compat);
    assert_eq!(compat.build_id.as_deref(), Some("36.1"));
}

#[test]
fn an_unregistered_schema_number_is_a_misuse() {
    let read = DocumentParams::read("validate", Some(r#"{"schema": 4000000}"#)).expect("read");
    assert_eq!(
        read.resolve().map(|_| ()),
        Err(Misuse(
            "options.schema: no schema is registered as 4000000".to_owned()
        ))
    );
}

#[test]
fn normalize_is_read_as_js_reads_a_condition() {
    for (text, expected) in [
        ("true", true),
        ("false", false),
        ("null", false),
        ("0", false),
        ("1", true),
        (r#""""#, false),
        (r#""yes""#, true),
        ("{}", true),
    ] {
        let read = ParseReferenceParams::read(
            "parseReference",
            Some(&format!(r#"{{"normalize": {text}}}"#)),
        )
        .expect("read");
        assert_eq!(read.normalize.is_some_and(|n| n.0), expected, "{text}");
    }
}

/// The field names serde's own `deny_unknown_fields` message lists for `P`.
fn serde_fields<P: Params>() -> Vec<String> {
    let error = serde_json::from_str::<P>(r#"{"\u0000": 0}"#)
        .err()
        .expect("an unknown key is refused")
        .to_string();
    let list = error
        .split_once("expected ")
        .map(|(_, rest)| rest)
        .expect("serde lists the fields");
    let list = list.split(" at line").next().unwrap_or(list);
    // serde writes "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
    let list = list.trim_start_matches("one of ").replace("` or `", "`, `");
    list.split(", ")
        .map(|name| name.trim_matches('`').to_owned())
        .collect()
}

fn names<P: Params>() -> Vec<String> {
    P::FIELDS.iter().map(|f| f.name.to_owned()).collect()
}

#[test]
fn the_generated_key_lists_are_the_keys_serde_accepts() {
    assert_eq!(serde_fields::<DocumentParams>(), names::<DocumentParams>());
    assert_eq!(
        serde_fields::<ReleaseViewParams>(),
        names::<ReleaseViewParams>()
    );
    assert_eq!(serde_fields::<BuildParams>(), names::<BuildParams>());
    assert_eq!(
        serde_fields::<ParseReferenceParams>(),
        names::<ParseReferenceParams>()
    );
    assert_eq!(names::<DocumentParams>(), ["profile", "schema", "buildId"]);
}

#[test]
fn a_layout_cuts_the_buffer_and_refuses_lengths_past_its_end() {
    let inputs = b"RRMMMNN";
    let text = r#"{"release": {"length": 2, "positions": true},
        "documents": [{"arch": "x86_64", "name": "a.json", "length": 3, "positions": false},
                      {"arch": null, "name": null, "length": 2, "positions": true}]}"#;
    let laid = Layout::read("checkRelease", text, inputs).expect("laid out");
    assert_eq!(laid.release, Some(&b"RR"[..]));
    assert_eq!(laid.inputs, [&b"MMM"[..], &b"NN"[..]]);
    assert_eq!(laid.positions(), [false, true]);
    let docs = laid.documents();
    assert_eq!(
        (docs[0].arch, docs[0].name),
        (Some("x86_64"), Some("a.json"))
    );
    let long = r#"{"documents": [{"length": 9, "positions": true}]}"#;
    assert_eq!(
        Layout::read("checkBuild", long, inputs).map(|_| ()),
        Err(Misuse(
            "checkBuild: the document lengths exceed the input".to_owned()
        ))
    );
}
