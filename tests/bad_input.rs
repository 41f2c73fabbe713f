//! The bad input catalogue: broken, hostile and odd inputs, each with every diagnostic it
//! must give (code, pointer and line:column), and a phrase of one of the messages where the
//! wording is the point. Every case also keeps the invariants of `tests/robust/` (no
//! panic, positions lead back to offsets, upgrade idempotent and loses nothing).
//!
//! Where the current answer is questionable the case says so; the behaviour we think is
//! right was fixed in the core; the tests at the end pin those fixes.

mod common;
mod robust;

use oscontainer::{upgrade_bytes, validate_bytes, Options, UserSchema};

const D: &str = "sha256:abababababababababababababababababababababababababababababababab";

/// One case: a name, the input, the expected diagnostics as `code pointer line:column`,
/// and a phrase one of the messages must contain ("" for none).
struct Case {
    name: &'static str,
    input: Vec<u8>,
    expect: &'static [&'static str],
    phrase: &'static str,
}

fn case(
    name: &'static str,
    input: impl Into<Vec<u8>>,
    expect: &'static [&'static str],
    phrase: &'static str,
) -> Case {
    Case {
        name,
        input: input.into(),
        expect,
        phrase,
    }
}

/// `D` in the text stands for a valid digest.
fn doc(text: &str) -> Vec<u8> {
    text.replace('D', D).into_bytes()
}

fn deep(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

fn cases() -> Vec<Case> {
    let mut c = vec![
        // ---- not JSON at all ----------------------------------------------------------
        case("empty input", "", &["json-syntax \"\" 1:1"], "the input is empty"),
        case("whitespace only", "  \n\t ", &["json-syntax \"\" 2:3"], "only whitespace"),
        // A BOM is skipped (and reported): the entry behind it is still checked.
        case(
            "byte-order mark before a valid document",
            doc("\u{feff}{\"kubevirt\": {\"image\": \"quay.io/a/b:v1\", \"digest\": \"D\"}}"),
            &["json-syntax \"\" 1:1", "image-has-tag /kubevirt/image 1:25"],
            "byte-order mark",
        ),
        case(
            "byte-order mark only",
            "\u{feff}",
            &["json-syntax \"\" 1:2"],
            "the input is only a byte-order mark; expected a JSON object",
        ),
        case(
            "byte-order mark and whitespace only",
            "\u{feff} \n",
            &["json-syntax \"\" 2:1"],
            "the input is only a byte-order mark and whitespace",
        ),
        case(
            "UTF-16 (little-endian, with BOM) instead of UTF-8",
            b"\xff\xfe{\x00}\x00".to_vec(),
            &["json-syntax \"\" 1:1"],
            "the text is UTF-16 (little-endian, it starts with a UTF-16 byte-order mark); JSON text must be UTF-8",
        ),
        case(
            "UTF-16 (big-endian, with BOM) instead of UTF-8",
            b"\xfe\xff\x00{\x00}".to_vec(),
            &["json-syntax \"\" 1:1"],
            "the text is UTF-16 (big-endian",
        ),
        case(
            "a 0xFF byte later in the text is not called UTF-16",
            b"{\"a\": \"\xff\xfe\"}".to_vec(),
            &["json-syntax \"\" 1:8"],
            "byte 0xFF is not valid UTF-8",
        ),
        case(
            "invalid UTF-8 byte inside an image",
            b"{\"kubevirt\": {\"image\": \"quay.io/a/\xffb\"}}".to_vec(),
            &["json-syntax \"\" 1:35"],
            "byte 0xFF is not valid UTF-8",
        ),
        case(
            "overlong UTF-8 encoding of '/'",
            b"{\"a\": \"\xc0\xaf\"}".to_vec(),
            &["json-syntax \"\" 1:8"],
            "byte 0xC0 is not valid UTF-8",
        ),
        case(
            "UTF-8 sequence cut short at the end",
            b"{\"a\": \"\xe2\x82".to_vec(),
            &["json-syntax \"\" 1:8"],
            "byte 0xE2 is not valid UTF-8",
        ),
        // ---- truncated ----------------------------------------------------------------
        case(
            "truncated inside a string",
            "{\"kubevirt\": {\"image\": \"quay.io/a",
            &["json-syntax \"\" 1:24"],
            "unterminated string (the text looks truncated)",
        ),
        case(
            "truncated after a comma",
            "{\"kubevirt\": {\"image\": \"quay.io/a/b\",",
            &["json-syntax \"\" 1:38"],
            "unexpected end of input (the text looks truncated)",
        ),
        case(
            "truncated inside a \\u escape",
            "{\"a\": \"\\u00",
            &["json-syntax \"\" 1:8"],
            "four hex digits",
        ),
        case(
            "truncated before the closing brace, on line 3",
            "{\n    \"a\": 1,\n    \"b\": [1, 2]",
            &["json-syntax \"\" 3:16"],
            "unexpected end of input",
        ),
        // ---- JSON's neighbours ----------------------------------------------------------
        case("trailing garbage", "{}\nx", &["json-syntax \"\" 2:1"], "after the end of the JSON value"),
        case("two documents", "{}{}", &["json-syntax \"\" 1:3"], "after the end of the JSON value"),
        case(
            "trailing comma in an object",
            "{\"a\": 1,\n}",
            &["json-syntax \"\" 1:8"],
            "trailing comma before '}'",
        ),
        case(
            "trailing comma in an array",
            "{\"a\": [1, 2, ]}",
            &["json-syntax \"\" 1:12"],
            "trailing comma before ']'",
        ),
        case(
            "line comment",
            "{\n  // cosa wrote this\n  \"a\": 1}",
            &["json-syntax \"\" 2:3"],
            "comments are not allowed",
        ),
        case("block comment", "{\"a\": /* c */ 1}", &["json-syntax \"\" 1:7"], "comments are not allowed"),
        case("single-quoted key", "{'a': 1}", &["json-syntax \"\" 1:2"], "single quotes"),
        case("single-quoted value", "{\"a\": 'x'}", &["json-syntax \"\" 1:7"], "single quotes"),
        case("unquoted key", "{a: 1}", &["json-syntax \"\" 1:2"], "expected a string key or '}'"),
        case("NaN", "{\"a\": NaN}", &["json-syntax \"\" 1:7"], "NaN is not a JSON value"),
        case("Infinity", "{\"a\": Infinity}", &["json-syntax \"\" 1:7"], "Infinity is not a JSON value"),
        case("-Infinity", "{\"a\": -Infinity}", &["json-syntax \"\" 1:7"], "-Infinity is not a JSON value"),
        case("undefined", "{\"a\": undefined}", &["json-syntax \"\" 1:7"], "undefined is not a JSON value"),
        case("leading zero", "{\"a\": 01}", &["json-syntax \"\" 1:7"], "leading zeros"),
        case("missing colon", "{\"a\" 1}", &["json-syntax \"\" 1:6"], "expected ':' after the key"),
        case("missing comma", "{\"a\": 1\n \"b\": 2}", &["json-syntax \"\" 2:2"], "expected ',' or '}'"),
        case("invalid escape", "{\"a\": \"\\x41\"}", &["json-syntax \"\" 1:8"], "invalid escape \\x"),
        case("\\u with a non-hex digit", "{\"a\": \"\\u12G4\"}", &["json-syntax \"\" 1:8"], "four hex digits"),
        case("raw tab inside a string", "{\"a\": \"x\ty\"}", &["json-syntax \"\" 1:9"], "a tab inside a string"),
        case(
            "raw line break inside a string",
            "{\"a\": \"x\ny\"}",
            &["json-syntax \"\" 1:9"],
            "a line break inside a string",
        ),
        case("NUL byte between members", b"{\"a\": 1,\x00 \"b\": 2}".to_vec(), &["json-syntax \"\" 1:9"], "U+0000"),
        case("no-break space as whitespace", "{\u{a0}\"a\": 1}", &["json-syntax \"\" 1:2"], "U+00A0"),
        case(
            "error after CRLF line breaks",
            "{\r\n  \"a\": 1,\r\n  \"b\": x}",
            &["json-syntax \"\" 3:8"],
            "expected a JSON value",
        ),
        case(
            "error after astral characters (UTF-16 columns)",
            "{\"😀😀\": 1, x}",
            &["json-syntax \"\" 1:13"],
            "expected a string key",
        ),
        // ---- numbers and strings JSON allows but consumers cannot hold ------------------
        // JSON.parse reads 1e999 as Infinity and JSON.stringify writes it back as null;
        // Python writes `Infinity`, which is not JSON: a warning.
        case(
            "number beyond f64",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"}, \"size\": 1e999}"),
            &["number-out-of-range /size 1:133"],
            "the number 1e999 is beyond the range of a double",
        ),
        case(
            "negative number beyond f64 inside an entry",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"size\": -1e999}}"),
            &["unknown-field /kubevirt/size 1:124", "number-out-of-range /kubevirt/size 1:132"],
            "the number -1e999",
        ),
        case(
            "310 digits, no exponent, in an array",
            format!("{{\"a\": [0, 1{}]}}", "0".repeat(309)),
            &["no-entries \"\" 1:1", "number-out-of-range /a/1 1:11"],
            "the number 100000000000000000000000… (310 characters) is beyond the range of a double",
        ),
        // Rounds to zero: a loss of precision like any decimal fraction, not a new value.
        case("number below f64's smallest", "{\"a\": 1e-999}", &["no-entries \"\" 1:1"], ""),
        // JSON.parse rounds it, Python keeps it exact: precision, not range; no finding.
        case(
            "integer beyond 2^53",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"}, \"n\": 123456789012345678901234567890}"),
            &[],
            "",
        ),
        // A lone surrogate is legal JSON syntax that JSON.parse and Python keep, but it
        // has no UTF-8 form (serde_json rejects it): a warning, at the escape.
        case(
            "lone surrogate outside the entries",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"}, \"a\": \"\\ud800\"}"),
            &["lone-surrogate /a 1:131"],
            "\\ud800 is half of a UTF-16 surrogate pair, alone",
        ),
        case(
            "a high surrogate followed by another escape, not a low one",
            "{\"a\": \"x\\ud800\\u0041\"}",
            &["no-entries \"\" 1:1", "lone-surrogate /a 1:9"],
            "\\ud800",
        ),
        case("a surrogate pair is one character", "{\"a\": \"\\ud83d\\ude00\"}", &["no-entries \"\" 1:1"], ""),
        case(
            "lone low surrogate in an image",
            "{\"kubevirt\": {\"image\": \"quay.io/a/b\\udc00\"}}",
            &[
                "digest-missing /kubevirt 1:14",
                "image-invalid /kubevirt/image 1:24",
                "lone-surrogate /kubevirt/image 1:36",
            ],
            "\\udc00",
        ),
        // JSON.parse sees two different keys, though both are shown as U+FFFD.
        case(
            "two different lone surrogates as keys",
            "{\"\\ud800\": 1, \"\\ud801\": 2}",
            &["no-entries \"\" 1:1", "lone-surrogate /\u{fffd} 1:3", "lone-surrogate /\u{fffd} 1:16"],
            "",
        ),
        // The fragment look-ahead reads the first key too; the escape is reported once.
        case(
            "a fragment whose first key is a lone surrogate",
            "\"\\ud800\": 1,\n\"b\": 2",
            &["no-entries \"\" 1:1", "lone-surrogate /\u{fffd} 1:2"],
            "",
        ),
        case(
            "the same lone surrogate twice, spelt in two cases",
            "{\"\\ud800\": 1, \"\\uD800\": 2}",
            &[
                "no-entries \"\" 1:1",
                "lone-surrogate /\u{fffd} 1:3",
                "duplicate-key /\u{fffd} 1:15",
                "lone-surrogate /\u{fffd} 1:16",
            ],
            "",
        ),
        // ---- nesting and size --------------------------------------------------------
        case(
            "10,000 nested arrays",
            deep("[", "", "]", 10_000),
            &["nesting-too-deep \"\" 1:129"],
            "more than 128 levels",
        ),
        case(
            "10,000 nested objects",
            deep("{\"a\":", "1", "}", 10_000),
            &["nesting-too-deep \"\" 1:641"],
            "more than 128 levels",
        ),
        case(
            "10,000 nested arrays inside an entry",
            doc(&format!(
                "{{\"kubevirt\": {{\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"comment\": {}}}}}",
                deep("[", "1", "]", 10_000)
            )),
            &["nesting-too-deep \"\" 1:261"],
            "nothing beyond is checked",
        ),
        case(
            "nesting at the limit is fine",
            doc(&format!(
                "{{\"kubevirt\": {{\"image\": \"quay.io/a/b\", \"digest\": \"D\"}}, \"x\": {}}}",
                deep("[", "1", "]", 127)
            )),
            &[],
            "",
        ),
        // ---- duplicate keys at every level ---------------------------------------------
        case("duplicate top-level key", "{\"a\": 1, \"a\": 2}", &["no-entries \"\" 1:1", "duplicate-key /a 1:10"], "JSON.parse keeps only the last"),
        case(
            "duplicate entry key (the last one is checked)",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b:x\"},\n\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"}}"),
            &["duplicate-key /kubevirt 2:1"],
            "first on line 1",
        ),
        case(
            "duplicate field inside an entry (nothing fixable)",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b:x\", \"digest\": \"D\", \"image\": \"quay.io/a/b:y\"}}"),
            &["duplicate-key /kubevirt/image 1:126", "image-has-tag /kubevirt/image 1:135"],
            "",
        ),
        case(
            "duplicate field inside an additional image",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"additional-images\": [{\"image\": \"q.io/c:t\", \"image\": \"q.io/d\"}]}}"),
            &[
                "digest-missing /kubevirt/additional-images/0 1:146",
                "duplicate-key /kubevirt/additional-images/0/image 1:168",
            ],
            "",
        ),
        case(
            "duplicate key deep in another member",
            "{\"x\": {\"y\": [{\"z\": 1, \"z\": 2}]}}",
            &["no-entries \"\" 1:1", "duplicate-key /x/y/0/z 1:23"],
            "",
        ),
        case(
            "duplicate key in a fragment",
            doc("\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"},\n\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"}"),
            &["duplicate-key /kubevirt 2:1"],
            "",
        ),
        // ---- keys with control characters ---------------------------------------------
        case(
            "raw control character in a key",
            b"{\"a\x01b\": 1}".to_vec(),
            &["json-syntax \"\" 1:4"],
            "control character U+0001",
        ),
        // The key is quoted with JSON's escapes, as the reader wrote it.
        case(
            "escaped control character in an entry field name",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"x\\u0001\": 1}}"),
            &["unknown-field /kubevirt/x\u{1} 1:124"],
            "unknown field \"x\\u0001\"",
        ),
        case(
            "escaped line break and tab in an entry field name",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"x\\n\\ty\\u007f\": 1}}"),
            &["unknown-field /kubevirt/x\n\ty\u{7f} 1:124"],
            "unknown field \"x\\n\\ty\\u007f\"",
        ),
        case(
            "escaped NUL in the image",
            "{\"kubevirt\": {\"image\": \"quay.io/a\\u0000b\", \"digest\": \"x\"}}",
            &["image-invalid /kubevirt/image 1:24", "digest-invalid /kubevirt/digest 1:55"],
            "",
        ),
        // ---- the document is not an object ---------------------------------------------
        case("null document", "null", &["not-an-object \"\" 1:1"], "the document is null"),
        case("array document", "[{\"kubevirt\": {}}]", &["not-an-object \"\" 1:1"], "is an array"),
        case("string document", "\"oscontainer\"", &["not-an-object \"\" 1:1"], "is a string"),
        case("number document", "\n42", &["not-an-object \"\" 2:1"], "is a number"),
        // ---- every entry field with the wrong type, and null everywhere ----------------
        case("entry is null", "{\"kubevirt\": null}", &["entry-not-object /kubevirt 1:14"], "but it is null"),
        case("entry is an array", "{\"oscontainer\": [\"quay.io/a/b\"]}", &["entry-not-object /oscontainer 1:17"], "but it is an array"),
        case(
            "every field null",
            "{\"kubevirt\": {\"image\": null, \"digest\": null, \"tags\": null, \"manifest-list-digest\": null, \"comment\": null, \"additional-images\": null}}",
            &[
                "image-not-string /kubevirt/image 1:24",
                "digest-invalid /kubevirt/digest 1:40",
                "tags-not-array /kubevirt/tags 1:54",
                "manifest-list-digest-invalid /kubevirt/manifest-list-digest 1:84",
                "comment-not-string /kubevirt/comment 1:101",
                "additional-images-not-array /kubevirt/additional-images 1:128",
            ],
            "\"image\" must be a string, but it is null",
        ),
        case(
            "every field of the wrong type",
            "{\"kubevirt\": {\"image\": 1, \"digest\": true, \"tags\": {}, \"manifest-list-digest\": [], \"comment\": 2, \"additional-images\": \"x\"}}",
            &[
                "image-not-string /kubevirt/image 1:24",
                "digest-invalid /kubevirt/digest 1:37",
                "tags-not-array /kubevirt/tags 1:51",
                "manifest-list-digest-invalid /kubevirt/manifest-list-digest 1:79",
                "comment-not-string /kubevirt/comment 1:94",
                "additional-images-not-array /kubevirt/additional-images 1:118",
            ],
            "but it is a number",
        ),
        case(
            "null and wrong types inside the lists",
            doc("{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"tags\": [null, 1, true], \"additional-images\": [null, \"s\", [], {\"image\": 2, \"digest\": 3}]}}"),
            &[
                "tag-invalid /kubevirt/tags/0 1:133",
                "tag-invalid /kubevirt/tags/1 1:139",
                "tag-invalid /kubevirt/tags/2 1:142",
                "additional-image-not-object /kubevirt/additional-images/0 1:171",
                "additional-image-not-object /kubevirt/additional-images/1 1:177",
                "additional-image-not-object /kubevirt/additional-images/2 1:182",
                "image-not-string /kubevirt/additional-images/3/image 1:196",
                "digest-invalid /kubevirt/additional-images/3/digest 1:209",
            ],
            "item 0 of \"tags\" must be a string, but it is null",
        ),
        case(
            "null build id and architecture",
            doc("{\"buildid\": null, \"coreos-assembler.basearch\": null, \"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"}}"),
            &[],
            "",
        ),
        case(
            "a bare entry that is all nulls",
            "{\"image\": null, \"digest\": null}",
            &["image-not-string /image 1:11", "digest-invalid /digest 1:27"],
            "",
        ),
        // ---- fragments ----------------------------------------------------------------
        case(
            "fragment with its trailing comma",
            doc("\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\"},\n"),
            &[],
            "",
        ),
        case("fragment followed by a stray brace", "\"kubevirt\": {}, }", &["json-syntax \"\" 1:17"], "expected a string key"),
        // ---- pasted from other tools and other keys -----------------------------------
        case(
            "a skopeo pull spec as image",
            doc("{\"kubevirt\": {\"image\": \"docker://quay.io/a/b\", \"digest\": \"D\"}}"),
            &["image-invalid /kubevirt/image 1:25"],
            "the transport prefix \"docker://\" is not part of an image reference; drop it: \"quay.io/a/b\"",
        ),
        case(
            "an rpm-ostree origin as image",
            doc("{\"base-oscontainer\": {\"image\": \"ostree-remote-image:fedora:docker://quay.io/fedora/fedora-coreos:stable\", \"digest\": \"D\"}}"),
            &["image-invalid /base-oscontainer/image 1:33"],
            "drop it: \"quay.io/fedora/fedora-coreos:stable\"",
        ),
        case(
            "a file artifact from images as an entry",
            doc("{\"extensions-container\": {\"path\": \"x.ociarchive\", \"sha256\": \"D\", \"size\": 1}}"),
            &["entry-is-artifact /extensions-container 1:26"],
            "is a file artifact (path, sha256, size) as listed under \"images\"",
        ),
        case(
            "a lone file artifact",
            "{\"path\": \"x.ociarchive\", \"sha256\": \"ab\", \"size\": 1}",
            &["no-entries \"\" 1:1"],
            "the document is a file artifact",
        ),
        case(
            "upper-case hex in an embedded digest",
            format!("{{\"kubevirt\": {{\"image\": \"quay.io/a/b@{}\"}}}}", D.replace("ab", "AB")),
            &[
                "image-embedded-digest /kubevirt/image 1:24",
                "digest-invalid /kubevirt/image 1:44",
            ],
            "embedded in image has upper-case hex",
        ),
        case(
            "an embedded digest of the manifest-list window",
            doc("{\"buildid\": \"412.86.202209180000-0\", \"kubevirt\": {\"image\": \"quay.io/a/b@D\"}}"),
            &[
                "image-embedded-digest /kubevirt/image 1:60",
                "digest-maybe-manifest-list /kubevirt/image 1:60",
            ],
            "is dated 2022-09-18",
        ),
    ];
    // ---- large inputs ------------------------------------------------------------------
    let megabyte = "x".repeat(1 << 20);
    c.push(case(
        "1 MB string value",
        doc(&format!("{{\"kubevirt\": {{\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"comment\": \"{megabyte}\"}}}}")),
        &[],
        "",
    ));
    c.push(case(
        "1 MB image (the message quotes a bounded part)",
        format!("{{\"kubevirt\": {{\"image\": \"quay.io/a/{megabyte}\"}}}}"),
        // At the 256th character of the path: the path is longer than 255.
        &[
            "digest-missing /kubevirt 1:14",
            "image-invalid /kubevirt/image 1:288",
        ],
        "…\"",
    ));
    let mut big = String::from("{\n");
    for i in 0..100_000 {
        big.push_str(&format!("    \"k{i}\": {i},\n"));
    }
    // "a" last, so the members are not sorted and the digest goes after the image.
    big.push_str(&format!(
        "    \"k5\": 0,\n    \"kubevirt\": {{\"image\": \"quay.io/a/b@{D}\"}},\n    \"a\": 0\n}}\n"
    ));
    c.push(Case {
        name: "100,000-member object with a duplicate and an entry at the end",
        input: big.into_bytes(),
        expect: &[
            "duplicate-key /k5 100002:5",
            "image-embedded-digest /kubevirt/image 100003:27",
        ],
        phrase: "first on line 7",
    });
    c
}

#[test]
fn the_catalogue_has_at_least_forty_named_cases() {
    let all = cases();
    assert!(all.len() >= 40, "{} cases", all.len());
    let mut names: Vec<&str> = all.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len(), "case names repeat");
}

#[test]
fn every_case_gives_exactly_its_diagnostics() {
    let mut failures = Vec::new();
    for c in cases() {
        let report = validate_bytes(&c.input, &Options::default());
        let got = common::rows(&report.diagnostics);
        if got != c.expect {
            failures.push(format!(
                "{}:\n  expected {:?}\n  got      {:?}",
                c.name, c.expect, got
            ));
            continue;
        }
        if !c.phrase.is_empty()
            && !report
                .diagnostics
                .iter()
                .any(|d| d.message.contains(c.phrase))
        {
            failures.push(format!("{}: no message has {:?}", c.name, c.phrase));
        }
        for d in &report.diagnostics {
            if d.message.len() > 1000 {
                failures.push(format!("{}: a {}-byte message", c.name, d.message.len()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_case_keeps_the_invariants() {
    for c in cases() {
        if c.input.len() > 200_000 {
            // The big ones: upgrade once and compare, the full checks are quadratic-ish.
            let result = upgrade_bytes(&c.input, &Options::default());
            assert!(result.diagnostics.iter().all(|d| !d.fixable), "{}", c.name);
            if let Ok(text) = std::str::from_utf8(&c.input) {
                if result.changed {
                    robust::invariants::check_outside_unchanged(
                        text,
                        &result.output,
                        &result.changes,
                        &Options::default(),
                    );
                }
            }
            continue;
        }
        robust::invariants::check_bytes(&c.input);
        // The entries' structure as the embedded schema sees it.
        robust::structure::check_structure(&c.input);
    }
}

/// The 100,000-member object upgrades its entry and nothing else, in a reasonable time
/// even in a debug build.
#[test]
fn a_hundred_thousand_members_upgrade_only_the_entry() {
    let c = cases().pop().expect("the big case is last");
    let text = String::from_utf8(c.input).expect("UTF-8");
    let start = std::time::Instant::now();
    let result = upgrade_bytes(text.as_bytes(), &Options::default());
    let elapsed = start.elapsed();
    assert!(result.changed);
    let tail = format!("    \"kubevirt\": {{\"image\": \"quay.io/a/b\", \"digest\": \"{D}\"}},\n    \"a\": 0\n}}\n");
    assert!(
        result.output.ends_with(&tail),
        "{}",
        &result.output[result.output.len() - 200..]
    );
    // Only "@" became `", "digest": "`: the rest of 3.4 MB is the same bytes.
    assert_eq!(
        result.output.len(),
        text.len() - 1 + ", \"digest\": \"\"".len()
    );
    assert_eq!(result.output[..text.len() - 200], text[..text.len() - 200]);
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
}

/// Deep nesting with a user schema (the whole document is kept and converted for the
/// schema validator): still an error, not a stack overflow.
#[test]
fn deep_nesting_with_a_user_schema_is_an_error_not_a_crash() {
    // Recursive: the validator descends through every level of the document.
    let schema = UserSchema::compile(
        r##"{"type": "object", "required": ["buildid"], "additionalProperties": {"$ref": "#/$defs/v"},
            "$defs": {"v": {"anyOf": [
                {"type": "array", "items": {"$ref": "#/$defs/v"}},
                {"type": "object", "additionalProperties": {"$ref": "#/$defs/v"}},
                {"type": ["number", "string", "boolean", "null"]}]}}}"##,
    )
    .expect("schema");
    let options = Options {
        schema: Some(&schema),
        ..Options::default()
    };
    let at_limit = doc(&format!(
        "{{\"kubevirt\": {{\"image\": \"quay.io/a/b\", \"digest\": \"D\"}}, \"x\": {}}}",
        deep("[", "1", "]", 127)
    ));
    let report = validate_bytes(&at_limit, &options);
    assert_eq!(
        common::rows(&report.diagnostics),
        ["schema-violation \"\" 1:1"]
    );
    let too_deep = deep("{\"a\":", "1", "}", 10_000);
    assert_eq!(
        common::rows(&validate_bytes(too_deep.as_bytes(), &options).diagnostics),
        ["nesting-too-deep \"\" 1:641"]
    );
}

// ---- what we think is right, where the current answer is not --------------------------

/// `-Infinity` is named with its sign, at the sign (`unexpected()` has a branch for it
/// that cannot be reached: the number scanner has already consumed the '-').
#[test]
fn minus_infinity_is_named_at_its_sign() {
    let report = validate_bytes(b"{\"a\": -Infinity}", &Options::default());
    assert_eq!(common::rows(&report.diagnostics), ["json-syntax \"\" 1:7"]);
    assert_eq!(
        report.diagnostics[0].message,
        "-Infinity is not a JSON value"
    );
}

/// `"\ud800"` and `"\ud801"` are different keys to JSON.parse and Python; they must not
/// be reported as one duplicated key.
#[test]
fn different_lone_surrogate_keys_are_not_duplicates() {
    let report = validate_bytes(b"{\"\\ud800\": 1, \"\\ud801\": 2}", &Options::default());
    assert_eq!(
        common::rows(&report.diagnostics),
        [
            "no-entries \"\" 1:1",
            "lone-surrogate /\u{fffd} 1:3",
            "lone-surrogate /\u{fffd} 1:16"
        ]
    );
}

/// Upgrade must not turn a lone surrogate escape into U+FFFD when it moves a value: the
/// tag `"v\ud800"` wrapped into an array keeps its escape.
#[test]
fn upgrade_keeps_lone_surrogate_escapes_it_moves() {
    let input = doc(
        "{\"kubevirt\": {\"image\": \"quay.io/a/b\", \"digest\": \"D\", \"tags\": \"v\\ud800\"}}",
    );
    let result = upgrade_bytes(&input, &Options::default());
    assert!(result.output.contains("\"v\\ud800\""), "{}", result.output);
}
