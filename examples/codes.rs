//! Writes, or checks, the lists of diagnostic codes that are generated from `Code::ALL`
//! (src/diagnostic.rs), so that a code is added, renamed or documented in one place:
//!
//! - the `DiagnosticCode` union in pkg/index.d.ts;
//! - the two tables of docs/diagnostics.md (validate's codes; those of the release view, the
//!   release check, the cross-arch check and the builds index, whose doc comments start with
//!   "Release view:", "Release check:", "Cross-arch:" or "Builds index:");
//! - tests/node/codes.generated.json, the severities the Node tests expect;
//! - the options types of pkg/index.d.ts, from the params structs of src/params.rs.
//!
//! `cargo run --quiet --example codes -- write` (`make codes`) rewrites the parts between
//! the begin and end markers and leaves the hand-written text around them; `-- check`
//! (`make lint`) fails naming each stale file. An example, so that it is never built into
//! the .wasm and needs no dependency of its own.

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "codes/generate.rs"]
mod generate;

fn run(mode: &str) -> Result<bool, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut fresh = true;
    for (path, contents) in generate::expected(&root)? {
        let current = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        if current == contents {
            continue;
        }
        match mode {
            "write" => {
                std::fs::write(root.join(path), contents)
                    .map_err(|e| format!("writing {path}: {e}"))?;
                println!("wrote {path}");
            }
            _ => {
                eprintln!(
                    "{path} is stale: it is generated from src/diagnostic.rs and src/params.rs; run `make codes`"
                );
                fresh = false;
            }
        }
    }
    Ok(fresh)
}

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode != "write" && mode != "check" {
        eprintln!("usage: cargo run --example codes -- write|check");
        return ExitCode::from(2);
    }
    match run(&mode) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
