//! Fixes carried by findings: what validate reports is what upgrade applies, and two fixes
//! that would overlap are caught instead of one being dropped.

use oscontainer::diagnostic::{Edit, Fix};
use oscontainer::fix::{merge, Overlap};
use oscontainer::{upgrade, validate, Options};

fn fix(object: &str, edits: &[(usize, usize, &str)]) -> Fix {
    Fix {
        description: format!("rewrote {object}"),
        edits: Some(
            edits
                .iter()
                .map(|&(start, end, text)| Edit {
                    start,
                    end,
                    text: text.to_owned(),
                    bytes: start..end,
                })
                .collect(),
        ),
        object: object.to_owned(),
    }
}

#[test]
fn an_overlapping_pair_of_fixes_is_caught() {
    let a = fix("/kubevirt", &[(10, 20, "x")]);
    let b = fix("/base-oscontainer", &[(15, 25, "y")]);
    assert_eq!(
        merge(&[&a, &b]),
        Err(Overlap {
            first: "/kubevirt".to_owned(),
            second: "/base-oscontainer".to_owned(),
        })
    );
    // Two insertions at one place: which goes first would be a guess.
    let c = fix("/oscontainer", &[(30, 30, "p")]);
    let d = fix("/kubevirt", &[(30, 30, "q")]);
    assert!(merge(&[&c, &d]).is_err());
    // An insertion where another fix's replacement starts, likewise.
    let e = fix("/oscontainer", &[(40, 44, "r")]);
    let f = fix("/kubevirt", &[(40, 40, "s")]);
    assert!(merge(&[&e, &f]).is_err());
}

#[test]
fn fixes_that_touch_without_overlapping_and_repeated_fixes_merge() {
    let a = fix("/kubevirt", &[(10, 20, "x"), (5, 5, "w")]);
    let b = fix("/base-oscontainer", &[(20, 25, "z")]);
    let merged = merge(&[&a, &b, &a]).expect("no overlap");
    let spans: Vec<(usize, usize, &str)> = merged
        .iter()
        .map(|e| (e.start, e.end, e.text.as_str()))
        .collect();
    assert_eq!(spans, [(5, 5, "w"), (10, 20, "x"), (20, 25, "z")]);
}

#[test]
fn every_fixable_finding_of_an_entry_carries_the_entry_fix() {
    let d = format!("sha256:{}", "a".repeat(64));
    // "é" before the entry: the edits' offsets count UTF-16 units, as a JS string does.
    let text = format!(
        "{{\n  \"comment\": \"é\",\n  \"kubevirt\": {{\n    \"image\": \"quay.io/a/b:stable@{d}\"\n  }}\n}}\n"
    );
    let report = validate(&text, &Options::default());
    let fixable: Vec<(&str, &Fix)> = report
        .diagnostics
        .iter()
        .filter_map(|d| Some((d.code.as_str(), d.fix.as_ref()?)))
        .collect();
    let codes: Vec<&str> = fixable.iter().map(|(code, _)| *code).collect();
    assert_eq!(codes, ["image-has-tag", "image-embedded-digest"]);
    let (_, first) = fixable[0];
    assert!(
        fixable.iter().all(|(_, f)| *f == first),
        "one fix per object"
    );
    assert_eq!(
        first.description,
        format!("moved the tag \"stable\" from image into tags; moved the digest \"{d}\" from image into digest")
    );
    let image_start = text.find("\"quay.io").expect("image");
    let image_end = text[image_start + 1..].find('"').expect("closing quote") + image_start + 2;
    let edits: Vec<(usize, usize, &str)> = first
        .edits
        .iter()
        .flatten()
        .map(|e| (e.start, e.end, e.text.as_str()))
        .collect();
    // The keys are in order, so "digest" goes before "image" and "tags" after it. One
    // unit fewer than bytes: "é" is two bytes, one UTF-16 unit.
    let key_start = text.find("\"image\"").expect("key");
    let digest_member = format!("\"digest\": \"{d}\",\n    ");
    let tags_member = ",\n    \"tags\": [\n      \"stable\"\n    ]";
    assert_eq!(
        edits,
        [
            (key_start - 1, key_start - 1, digest_member.as_str()),
            (image_start - 1, image_end - 1, "\"quay.io/a/b\""),
            (image_end - 1, image_end - 1, tags_member),
        ]
    );
    let upgraded = upgrade(&text, &Options::default());
    let mut expected = text.clone();
    expected.replace_range(
        image_start..image_end,
        &format!("\"quay.io/a/b\"{tags_member}"),
    );
    expected.insert_str(key_start, &digest_member);
    assert_eq!(upgraded.output, expected);
}
