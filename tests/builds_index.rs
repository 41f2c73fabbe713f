//! builds.json read by `read_builds_index` (issue 21): every layout into one model, each
//! finding with its exact code, pointer, line and column and message. The messages are the
//! ones `checkBuildsDir` (pkg/fs.js) has always given (tests/node/fs.test.mjs pins them
//! through the package too).

mod common;

use oscontainer::{read_builds_index, BuildsIndex, Layout, Severity};
use serde_json::json;

/// Each finding as `code pointer line:column message`.
fn findings(index: &BuildsIndex) -> Vec<String> {
    common::rows(&index.diagnostics)
        .into_iter()
        .zip(&index.diagnostics)
        .map(|(row, d)| format!("{row} {}", d.message))
        .collect()
}

/// The builds as `id [arches]` (`*` for arches the directory says).
fn builds(index: &BuildsIndex) -> Vec<String> {
    index
        .builds
        .iter()
        .map(|b| match &b.arches {
            Some(arches) => format!("{} [{}]", b.id, arches.join(" ")),
            None => format!("{} *", b.id),
        })
        .collect()
}

fn read(text: &str) -> BuildsIndex {
    read_builds_index(text.as_bytes())
}

/// A builds.json as cosa writes it (4-space indentation).
const HEALTHY: &str = r#"{
    "schema-version": "1.0.0",
    "builds": [
        {
            "id": "41.20250101.3.0",
            "arches": [
                "x86_64",
                "aarch64"
            ]
        },
        {
            "id": "41.20241215.3.0",
            "arches": [
                "x86_64"
            ]
        }
    ],
    "timestamp": "2025-01-01T12:00:00Z"
}
"#;

#[test]
fn healthy_schema_1() {
    let index = read(HEALTHY);
    assert!(index.json && index.usable && index.valid);
    assert_eq!(index.layout, Some(Layout::Schema1));
    assert_eq!(index.schema_version.as_deref(), Some("1.0.0"));
    assert_eq!(index.timestamp.as_deref(), Some("2025-01-01T12:00:00Z"));
    assert_eq!(
        builds(&index),
        [
            "41.20250101.3.0 [x86_64 aarch64]",
            "41.20241215.3.0 [x86_64]"
        ]
    );
    assert_eq!(index.builds[1].pointer, "/builds/1");
    assert!(index.diagnostics.is_empty() && index.tombstones.is_empty());
    assert_eq!(index.skipped, 0);
}

#[test]
fn the_model_as_json() {
    let text = r#"{"schema-version": "1.0.0", "builds": [{"id": "a", "arches": ["x86_64"], "policy-cleanup": {"containers": true}}], "tombstone-builds": [{"id": "b"}]}"#;
    let value = serde_json::to_value(read(text)).expect("serialises");
    assert_eq!(
        value,
        json!({
            "json": true,
            "usable": true,
            "valid": true,
            "layout": "schema-1",
            "schemaVersion": "1.0.0",
            "timestamp": null,
            "builds": [{"id": "a", "arches": ["x86_64"], "policyCleanup": {"containers": true}, "pointer": "/builds/0"}],
            "tombstones": [{"id": "b", "pointer": "/tombstone-builds/0"}],
            "duplicates": [],
            "skipped": 0,
            "diagnostics": [],
        })
    );
}

#[test]
fn policy_cleanup_is_kept_as_written() {
    let text = r#"{"schema-version": "1.0.0", "builds": [
  {"id": "40.1", "arches": ["x86_64"], "policy-cleanup": {"cloud-uploads": true, "images-kept": ["qemu", "live-iso"], "containers": true}},
  {"id": "39.1", "arches": ["x86_64"]}
]}"#;
    let index = read(text);
    assert!(index.valid);
    assert_eq!(
        index.builds[0].policy_cleanup,
        Some(
            json!({"cloud-uploads": true, "images-kept": ["qemu", "live-iso"], "containers": true})
        )
    );
    assert_eq!(index.builds[1].policy_cleanup, None);
}

#[test]
fn tombstone_builds() {
    let text = r#"{
  "schema-version": "1.0.0",
  "builds": [{"id": "41.3", "arches": ["x86_64"]}],
  "tombstone-builds": [{"id": "41.1", "arches": ["x86_64"]}, "41.0", {"id": "../x"}, {}]
}"#;
    let index = read(text);
    assert_eq!(builds(&index), ["41.3 [x86_64]"]);
    let tombstones: Vec<(&str, &str)> = index
        .tombstones
        .iter()
        .map(|t| (t.id.as_str(), t.pointer.as_str()))
        .collect();
    assert_eq!(tombstones, [("41.1", "/tombstone-builds/0")]);
    assert_eq!(
        findings(&index),
        [
            r#"builds-json-invalid /tombstone-builds/1 4:62 builds.json: tombstone-builds[1] must be an object {"id"}, not "41.0""#,
            r#"builds-json-invalid /tombstone-builds/2/id 4:77 builds.json: tombstone-builds[2]: "id" must be a build id (a directory name), not "../x""#,
            r#"builds-json-invalid /tombstone-builds/3/id 4:86 builds.json: tombstone-builds[3]: "id" must be a build id (a directory name), not missing"#,
        ]
    );
    // The builds are still read: a bad tombstone is a finding, not the end of the file.
    assert!(index.usable && !index.valid);
    let bad = read(r#"{"schema-version": "1.0.0", "builds": [], "tombstone-builds": {"id": "x"}}"#);
    assert_eq!(
        findings(&bad),
        [
            r#"builds-json-invalid /tombstone-builds 1:63 builds.json: "tombstone-builds" must be an array of {"id"}, not {"id":"x"}"#
        ]
    );
}

#[test]
fn legacy_id_list() {
    let text =
        "{\n  \"builds\": [\"30.1\", \"29.9\"],\n  \"timestamp\": \"2019-06-01T00:00:00Z\"\n}";
    let index = read(text);
    assert!(index.valid && index.usable);
    assert_eq!(index.layout, Some(Layout::Legacy));
    assert_eq!(index.schema_version, None);
    assert_eq!(builds(&index), ["30.1 *", "29.9 *"]);
    // A written major version 0 is how cosa reads a missing one: the same layout.
    let zero = read(r#"{"schema-version": "0.0.1", "builds": ["30.1"]}"#);
    assert_eq!((zero.layout, zero.valid), (Some(Layout::Legacy), true));
    assert_eq!(builds(&zero), ["30.1 *"]);
    // An id string that is no directory name: the message and pointer the CLI gave.
    assert_eq!(
        findings(&read(r#"{"builds": ["30.1", "../30.0"]}"#)),
        [
            r#"builds-json-invalid /builds/1/id 1:21 builds.json: builds[1]: "id" must be a build id (a directory name), not "../30.0""#
        ]
    );
}

#[test]
fn refused_major_version() {
    let text = "{\n  \"schema-version\": \"2.0.0\",\n  \"builds\": [{\"id\": \"50.1\", \"arches\": [\"x86_64\"]}]\n}";
    let index = read(text);
    assert!(index.json && !index.usable && !index.valid);
    assert_eq!(index.layout, None);
    assert_eq!(index.schema_version.as_deref(), Some("2.0.0"));
    assert!(index.builds.is_empty());
    assert_eq!(
        findings(&index),
        [
            r#"builds-schema-unsupported /schema-version 2:21 builds.json has schema-version "2.0.0": coreos-assembler reads major version 1 only and refuses this file ("Builds schema too new"), so its builds are not read"#
        ]
    );
    assert_eq!(index.diagnostics[0].severity, Severity::Error);
    assert_eq!(
        (
            index.diagnostics[0].end_line,
            index.diagnostics[0].end_column
        ),
        (Some(2), Some(28))
    );
    let later = read(r#"{"schema-version": "10.1.0-rc.1", "builds": []}"#);
    assert_eq!(
        later.diagnostics[0].code.as_str(),
        "builds-schema-unsupported"
    );
}

#[test]
fn schema_version_of_the_wrong_type() {
    let cases = [
        ("1", "1"),
        ("1.0", "1"),
        ("null", "null"),
        ("\"1.0\"", "\"1.0\""),
        ("\"latest\"", "\"latest\""),
        ("[\"1.0.0\"]", "[\"1.0.0\"]"),
        ("{\"major\": 1}", "{\"major\":1}"),
    ];
    for (written, shown) in cases {
        let text = format!("{{\"schema-version\": {written}, \"builds\": [\"30.1\"]}}");
        let index = read(&text);
        assert_eq!(
            findings(&index),
            [format!("builds-json-invalid /schema-version 1:20 builds.json: \"schema-version\" must be a version string such as \"1.0.0\" (major.minor.patch), not {shown}")],
            "{written}"
        );
        assert!(!index.usable && index.builds.is_empty(), "{written}");
    }
}

#[test]
fn bad_entries_are_left_out_the_others_read() {
    let text = r#"{"builds": [
  3,
  {"id": "../etc", "arches": ["x86_64"]},
  {"id": "410.8.20190425.0", "arches": "x86_64"},
  {"id": "410.8.20190325.0", "arches": ["x86_64"]},
  null,
  {"arches": ["x86_64"]},
  {"id": 36, "arches": ["x86_64"]},
  {"id": "36.1", "arches": ["x86_64", "../s390x"]},
  {"id": "36.2", "arches": null},
  ["36.3"],
  {"id": "36.4", "arches": []}
]}"#;
    let index = read(text);
    assert_eq!(
        findings(&index),
        [
            r#"builds-json-invalid /builds/0 2:3 builds.json: builds[0] must be an object {"id", "arches"}, not 3"#,
            r#"builds-json-invalid /builds/1/id 3:10 builds.json: builds[1]: "id" must be a build id (a directory name), not "../etc""#,
            r#"builds-json-invalid /builds/2/arches 4:40 builds.json: builds[2]: "arches" of 410.8.20190425.0 must be an array of architecture names, not "x86_64""#,
            r#"builds-json-invalid /builds/4 6:3 builds.json: builds[4] must be an object {"id", "arches"}, not null"#,
            r#"builds-json-invalid /builds/5/id 7:3 builds.json: builds[5]: "id" must be a build id (a directory name), not missing"#,
            r#"builds-json-invalid /builds/6/id 8:10 builds.json: builds[6]: "id" must be a build id (a directory name), not 36"#,
            r#"builds-json-invalid /builds/7/arches 9:28 builds.json: builds[7]: "arches" of 36.1 must be an array of architecture names, not ["x86_64","../s390x"]"#,
            r#"builds-json-invalid /builds/8/arches 10:28 builds.json: builds[8]: "arches" of 36.2 must be an array of architecture names, not null"#,
            r#"builds-json-invalid /builds/9 11:3 builds.json: builds[9] must be an object {"id", "arches"}, not ["36.3"]"#,
        ]
    );
    assert_eq!(builds(&index), ["410.8.20190325.0 [x86_64]", "36.4 []"]);
    assert_eq!(index.skipped, 9);
    assert!(index.usable && !index.valid);
}

#[test]
fn a_repeated_id_is_kept_once_without_a_finding() {
    let index = read(
        r#"{"builds": [{"id": "a", "arches": ["x86_64"]}, "b", {"id": "a", "arches": ["s390x"]}]}"#,
    );
    assert!(index.valid);
    assert_eq!(builds(&index), ["a [x86_64]", "b *"]);
    let repeats: Vec<(&str, &str, &str)> = index
        .duplicates
        .iter()
        .map(|d| (d.id.as_str(), d.pointer.as_str(), d.first.as_str()))
        .collect();
    assert_eq!(repeats, [("a", "/builds/2", "/builds/0")]);
    assert_eq!(index.skipped, 1);
}

#[test]
fn values_are_quoted_as_json_stringify_writes_them() {
    // JSON.parse's value (the last of duplicate keys, integer keys first), written again.
    let index = read(r#"{"builds": {"b": 1, "2": 1.50, "b": "\u0041\n"}}"#);
    assert_eq!(
        findings(&index),
        [
            r#"builds-json-invalid /builds 1:12 builds.json: "builds" must be an array of {"id", "arches"}, not {"2":1.5,"b":"A\n"}"#
        ]
    );
    let big = read(r#"{"builds": [1e21, 1E400, 0.0000001]}"#);
    let messages: Vec<&str> = big.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            r#"builds.json: builds[0] must be an object {"id", "arches"}, not 1e+21"#,
            r#"builds.json: builds[1] must be an object {"id", "arches"}, not null"#,
            r#"builds.json: builds[2] must be an object {"id", "arches"}, not 1e-7"#,
        ]
    );
}

#[test]
fn malformed_json() {
    // The library's own syntax message and place, as for a meta.json.
    let text = "{\n  \"builds\": [\n    {\"id\": \"36.1\",}\n  ]\n}\n";
    let index = read(text);
    assert!(!index.json && !index.usable && !index.valid);
    let syntax = &oscontainer::validate(text, &Default::default()).diagnostics[0];
    assert_eq!(
        findings(&index),
        [format!(
            "builds-json-invalid \"\" 3:18 builds.json is not JSON: {}",
            syntax.message
        )]
    );
    let cut = read("{\"builds\": [");
    assert_eq!(
        common::rows(&cut.diagnostics),
        ["builds-json-invalid \"\" 1:13"]
    );
    // Not UTF-8: at the byte, as the library says it.
    let latin1 = read_builds_index(b"{\"builds\": [\"caf\xe9\"]}");
    assert_eq!(
        findings(&latin1),
        ["builds-json-invalid \"\" 1:17 builds.json is not JSON: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8"]
    );
    assert_eq!(
        findings(&read("")),
        ["builds-json-invalid \"\" 1:1 builds.json is not JSON: the input is empty; expected a JSON object"]
    );
    // Members without their braces are a fragment to the page's editor, but not a
    // builds.json: JSON.parse stops at the colon.
    let fragment = read("\"builds\": []");
    assert_eq!(
        common::rows(&fragment.diagnostics),
        ["builds-json-invalid \"\" 1:9"]
    );
    assert!(!fragment.json);
    // A byte-order mark is read past, as the CLI read past it.
    assert!(read("\u{feff}{\"builds\": [\"a\"]}").valid);
}

#[test]
fn top_level_not_an_object() {
    let cases = [
        ("[]", "an array"),
        ("[{\"id\": \"a\"}]", "an array"),
        ("3", "3"),
        ("\"builds\"", "\"builds\""),
        ("null", "null"),
        ("true", "true"),
    ];
    for (text, what) in cases {
        let index = read(text);
        assert_eq!(
            findings(&index),
            [format!("builds-json-invalid \"\" 1:1 builds.json must be an object {{\"schema-version\", \"builds\": [...]}}, not {what}")],
            "{text}"
        );
        assert!(index.json && !index.usable, "{text}");
    }
}

#[test]
fn no_builds_array() {
    assert_eq!(
        findings(&read(r#"{"schema-version": "1.0.0"}"#)),
        [
            r#"builds-json-invalid /builds 1:1 builds.json: "builds" must be an array of {"id", "arches"}, not missing"#
        ]
    );
    assert_eq!(
        findings(&read(
            "{\"schema-version\": \"1.0.0\",\n \"builds\": \"36.1\"}"
        )),
        [
            r#"builds-json-invalid /builds 2:12 builds.json: "builds" must be an array of {"id", "arches"}, not "36.1""#
        ]
    );
}

#[test]
fn columns_count_utf16_units() {
    // "é" is two bytes and one unit; "😀" four bytes and two units.
    let index = read("{\"note\": \"é😀\", \"builds\": [7]}");
    assert_eq!(
        common::rows(&index.diagnostics),
        ["builds-json-invalid /builds/0 1:28"]
    );
}

/// The corpus holds no builds.json (domain.md, "The corpus"): this says so, so that one
/// added there is read here.
#[test]
fn corpus_documents_shaped_like_builds_json() {
    let Some(_) = common::corpus("") else {
        return;
    };
    for sub in ["meta", "release", "cosa-schema", "reference", "registry"] {
        for (name, text) in common::corpus_files(sub) {
            let looks = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .is_some_and(|v| v.get("builds").is_some_and(serde_json::Value::is_array));
            if !looks {
                continue;
            }
            let index = read(&text);
            assert!(index.usable, "{sub}/{name}: {:?}", findings(&index));
        }
    }
}
