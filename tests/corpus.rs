//! The real documents in `../shared/corpus`: every meta.json gives the expected result,
//! with and without cosa's schema, and nothing about them needs upgrading.

mod common;

use oscontainer::{upgrade, validate, Options, Profile, Shape, UserSchema};

const COSA_HEAD: &str = "coreos-coreos-assembler__src_v1.json@05db482e6.json";
const COSA_2022: &str = "coreos-coreos-assembler__src_v1.json@432636d7f.json";

fn is_installer_copy(name: &str) -> bool {
    name.starts_with("openshift-installer__")
}

/// Documents without any container entry (FCOS fixture from 2020; an RHCOS 4.13 build
/// whose containers are only file artifacts under `images`).
fn has_no_entries(name: &str) -> bool {
    name == "coreos-coreos-assembler__fixtures_fcos.json"
        || name == "openshift-eng-art-tools__doozer_tests_resources_rhcos2_4.13-meta.json"
}

#[test]
fn every_meta_json_gives_the_expected_result() {
    let files = common::corpus_files("meta");
    if files.is_empty() {
        return;
    }
    assert_eq!(files.len(), 10);
    for (name, text) in &files {
        for profile in [Profile::Canonical, Profile::Compat] {
            let report = validate(
                text,
                &Options {
                    profile,
                    schema: None,
                    ..Default::default()
                },
            );
            assert!(report.valid, "{name}: {:?}", report.diagnostics);
            if has_no_entries(name) {
                let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
                assert_eq!(codes, ["no-entries"], "{name}");
                assert!(report.entries.is_empty());
            } else {
                assert!(
                    report.diagnostics.is_empty(),
                    "{name}: {:?}",
                    report.diagnostics
                );
                assert_eq!(report.entries.len(), 1, "{name}");
                let entry = &report.entries[0];
                assert_eq!(entry.pointer, "/oscontainer");
                assert_eq!(entry.shape, Shape::Split);
                let image = entry.image.as_deref().unwrap_or_default();
                let digest = entry.digest.as_deref().unwrap_or_default();
                assert_eq!(entry.pull_spec, Some(format!("{image}@{digest}")), "{name}");
            }
        }
        let result = upgrade(text, &Options::default());
        assert!(!result.changed, "{name}");
        assert_eq!(&result.output, text);
    }
}

/// A schema violation as (pointer, message, line, column).
type Violation = (String, String, u32, u32);

/// Each corpus meta.json with its violations of the named cosa schema.
fn with_schema(schema_name: &str) -> Vec<(String, Vec<Violation>)> {
    let Some(schema_text) = common::corpus_file("cosa-schema", schema_name) else {
        return Vec::new();
    };
    let schema = UserSchema::compile(&schema_text).expect("cosa's schema compiles");
    common::corpus_files("meta")
        .into_iter()
        .map(|(name, text)| {
            let report = validate(
                &text,
                &Options {
                    profile: Profile::Canonical,
                    schema: Some(&schema),
                    ..Default::default()
                },
            );
            let violations = report
                .diagnostics
                .iter()
                .filter(|d| d.code.as_str() == "schema-violation")
                .map(|d| {
                    (
                        d.pointer.clone(),
                        d.message.clone(),
                        d.line.unwrap_or(0),
                        d.column.unwrap_or(0),
                    )
                })
                .collect();
            (name, violations)
        })
        .collect()
}

#[test]
fn cosa_schema_at_head_accepts_the_cosa_and_art_fixtures_only() {
    let results = with_schema(COSA_HEAD);
    if results.is_empty() {
        return;
    }
    for (name, violations) in &results {
        if is_installer_copy(name) {
            assert!(!violations.is_empty(), "{name} should fail cosa's schema");
        } else {
            assert!(violations.is_empty(), "{name}: {violations:?}");
        }
    }
    let (_, installer) = results
        .iter()
        .find(|(n, _)| n == "openshift-installer__data_data_rhcos-amd64@18d578307.json")
        .expect("corpus file");
    let expected: Vec<Violation> = [
        (
            "",
            "the document is missing the required property \"name\"",
            1,
            1,
        ),
        (
            "",
            "the document is missing the required property \"ostree-timestamp\"",
            1,
            1,
        ),
        (
            "/amis",
            "/amis must be an array, but it is an object",
            2,
            13,
        ),
        (
            "/baseURI",
            "the document has the property \"baseURI\" that the schema does not allow",
            59,
            5,
        ),
    ]
    .iter()
    .map(|(p, m, l, c)| (p.to_string(), m.to_string(), *l, *c))
    .collect();
    assert_eq!(installer, &expected);
}

#[test]
fn cosa_schema_of_2022_rejects_a_later_build() {
    let results = with_schema(COSA_2022);
    if results.is_empty() {
        return;
    }
    for (name, violations) in &results {
        match name.as_str() {
            "openshift-eng-art-tools__doozer_tests_resources_rhcos2_4.13-meta.json" => {
                let pointers: Vec<&str> = violations.iter().map(|v| v.0.as_str()).collect();
                assert_eq!(pointers, ["/coreos-assembler.yumrepos-git"]);
            }
            n if is_installer_copy(n) => assert!(!violations.is_empty(), "{n}"),
            n => assert!(violations.is_empty(), "{n}: {violations:?}"),
        }
    }
}
