//! What `make codes` generates: each file's expected contents, from the crate's own
//! tables (shared by the `codes` example, which writes or checks them, and by
//! tests/generated.rs, which fails when a checked-in copy is stale).

use std::path::Path;

use oscontainer::{Code, Profile};
use serde::Serialize;

/// What a generated region is called in its markers, and the comment syntax around them.
struct Region {
    name: &'static str,
    /// The source file the region is written from.
    source: &'static str,
    open: &'static str,
    close: &'static str,
}

const DTS_UNION: Region = Region::new("DiagnosticCode", "src/diagnostic.rs", "//", "");
const DTS_OPTIONS: Region = Region::new("options types", "src/params.rs", "//", "");
const MD_VALIDATE: Region = Region::new("validate codes", "src/diagnostic.rs", "<!--", " -->");
const MD_RELEASE: Region = Region::new(
    "release and cross-arch codes",
    "src/diagnostic.rs",
    "<!--",
    " -->",
);

impl Region {
    const fn new(
        name: &'static str,
        source: &'static str,
        open: &'static str,
        close: &'static str,
    ) -> Region {
        Region {
            name,
            source,
            open,
            close,
        }
    }

    fn begin(&self) -> String {
        format!(
            "{} begin generated {}: `make codes` writes this from {}; edit there{}",
            self.open, self.name, self.source, self.close
        )
    }

    fn end(&self) -> String {
        format!("{} end generated {}{}", self.open, self.name, self.close)
    }
}

/// One row of tests/node/codes.generated.json.
#[derive(Serialize)]
struct Row {
    code: &'static str,
    canonical: &'static str,
    compat: &'static str,
    upgrade: &'static str,
    summary: String,
}

/// The doc comment of `code` as one line of Markdown.
fn summary(code: Code) -> String {
    code.summary()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The labels that start the doc comment of a code that `validate` never reports.
const RELEASE_LABELS: [&str; 4] = [
    "Release view:",
    "Release check:",
    "Cross-arch:",
    "Builds index:",
];

/// Whether `code` belongs to the release view, the release check, the cross-arch check or
/// the builds index (the docs' second table), by the label that starts its doc comment.
fn is_release(code: Code) -> bool {
    let text = summary(code);
    RELEASE_LABELS.iter().any(|label| text.starts_with(label))
}

fn union() -> String {
    let mut out = String::from(
        "/** The stable diagnostic codes (see the table in docs/diagnostics.md). */\nexport type DiagnosticCode =\n",
    );
    for (i, code) in Code::ALL.iter().enumerate() {
        let last = if i + 1 == Code::ALL.len() { ";" } else { "" };
        out.push_str(&format!("  | '{}'{last}\n", code.as_str()));
    }
    out
}

fn table(release: bool) -> String {
    let mut out = String::from(
        "| code | canonical | compat | fixed by `upgrade` | meaning |\n| --- | --- | --- | --- | --- |\n",
    );
    for &code in Code::ALL.iter().filter(|&&c| is_release(c) == release) {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            code.as_str(),
            code.severity(Profile::Canonical).as_str(),
            code.severity(Profile::Compat).as_str(),
            code.fixed_by_upgrade().as_str(),
            summary(code).replace('|', "\\|"),
        ));
    }
    out
}

fn json() -> String {
    let rows: Vec<Row> = Code::ALL
        .iter()
        .map(|&code| Row {
            code: code.as_str(),
            canonical: code.severity(Profile::Canonical).as_str(),
            compat: code.severity(Profile::Compat).as_str(),
            upgrade: code.fixed_by_upgrade().as_str(),
            summary: summary(code),
        })
        .collect();
    // Serializing plain strings and a derived struct cannot fail.
    let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    format!("{text}\n")
}

/// `text` with the lines between `region`'s markers replaced by `body`.
fn splice(path: &str, text: &str, region: &Region, body: &str) -> Result<String, String> {
    let begin = region.begin();
    let end = region.end();
    let missing = |marker: &str| format!("{path}: no line `{marker}`");
    let start = text.find(&begin).ok_or_else(|| missing(&begin))?;
    let inner = text[start..]
        .find('\n')
        .map(|i| start + i + 1)
        .ok_or_else(|| missing(&end))?;
    let stop = text[inner..]
        .find(&end)
        .map(|i| inner + i)
        .ok_or_else(|| missing(&end))?;
    Ok(format!("{}{body}{}", &text[..inner], &text[stop..]))
}

/// Each generated file: its path from the crate root and its expected contents.
pub fn expected(root: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).map_err(|e| format!("reading {path}: {e}"))
    };
    let dts_path = "pkg/index.d.ts";
    let dts = splice(dts_path, &read(dts_path)?, &DTS_UNION, &union())?;
    let dts = splice(
        dts_path,
        &dts,
        &DTS_OPTIONS,
        &oscontainer::params::typescript(),
    )?;
    let md_path = "docs/diagnostics.md";
    let md = read(md_path)?;
    let md = splice(md_path, &md, &MD_VALIDATE, &table(false))?;
    let md = splice(md_path, &md, &MD_RELEASE, &table(true))?;
    Ok(vec![
        (dts_path, dts),
        (md_path, md),
        ("tests/node/codes.generated.json", json()),
    ])
}
