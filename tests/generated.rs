//! The generated parts of checked-in files (pkg/index.d.ts's code union and options
//! types, docs/diagnostics.md's tables, tests/node/codes.generated.json) match what
//! `make codes` writes from the Rust sources today: the TypeScript types cannot drift from
//! the params structs, nor the docs from the codes.

use std::path::Path;

#[path = "../examples/codes/generate.rs"]
mod generate;

#[test]
fn every_generated_file_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = generate::expected(root).expect("the generated files can be read");
    assert!(files.iter().any(|(path, _)| *path == "pkg/index.d.ts"));
    for (path, contents) in files {
        let current = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        assert!(
            current == contents,
            "{path} is stale: run `make codes` (cargo run --example codes -- write)"
        );
    }
}

#[test]
fn the_options_types_come_from_the_params_structs() {
    let dts = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("pkg/index.d.ts"))
        .expect("pkg/index.d.ts");
    let generated = oscontainer::params::typescript();
    assert!(generated.contains("export interface Options {\n"));
    assert!(generated.contains("  buildId?: string;\n"));
    assert!(generated.contains("export interface ParseReferenceOptions {\n"));
    assert!(dts.contains(&generated));
}
