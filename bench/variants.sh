#!/usr/bin/env bash
# Builds package copies of HEAD, all from the same source, for bench/compare.mjs: the
# build variants behind the measured choices in docs/performance.md ("The JS boundary",
# "SIMD128"). Each lands in target/variants/NAME as a complete package:
#
#   base        the lean module as the Makefile builds it (no feature schema, profile release)
#   base-again  a copy of base: an A/A control, so the noise of the machine shows in the table
#   swb         validate's report returned through serde-wasm-bindgen (to_value with the
#               json_compatible serializer) and used as it is by pkg/api.js, instead of
#               JSON text and JSON.parse; serde-wasm-bindgen a plain dependency
#   simd        base built with RUSTFLAGS='-C target-feature=+simd128'
#
#   bench/variants.sh [NAME…]        (default: base swb simd; base-again comes with base)
#   node --expose-gc bench/compare.mjs --doc 20k --cases 'validate(string),validate(bytes)' \
#       base=target/variants/base simd=target/variants/simd base-again=target/variants/base-again
#
# Needs `make pkg` first: the schema module (wasm/oscontainer_schema*.js/.wasm), which node.js
# imports but these cases never load, is copied from pkg/. Builds in target/variants/cargo*,
# apart from the Makefile's builds. HEAD, not the working tree: commit what you measure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/variants
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(base swb simd)

# As the Makefile's WASM_BINDGEN_FLAGS.
flags=(--target web --experimental-reset-state-function --no-typescript --remove-name-section --remove-producers-section)

for f in pkg/wasm/oscontainer_schema.js pkg/wasm/oscontainer_schema_bg.wasm; do
  [ -f "$f" ] || { echo "variants.sh: $f is missing; run make pkg first" >&2; exit 2; }
done

# The swb change: validateStaged returns a JS value, and validate() takes it as it is.
swb_patch() {
  sed -i 's/^serde-wasm-bindgen = { version = "\([^"]*\)", optional = true }$/serde-wasm-bindgen = "\1"/;
          s/^boundary-bench = \["dep:serde-wasm-bindgen"\]$/boundary-bench = []/' Cargo.toml
  grep -q '^serde-wasm-bindgen = "' Cargo.toml
  patch -s -p1 --no-backup-if-mismatch <<'EOF'
--- a/src/js.rs
+++ b/src/js.rs
@@ -201,11 +201,13 @@
     schema: JsValue,
     positions: bool,
     build_id: JsValue,
-) -> Result<String, JsValue> {
+) -> Result<JsValue, JsValue> {
     let input = take_staged(len);
     let call = CallOptions::read(&profile, &schema, &build_id)?;
     let mut report = crate::validate_bytes(&input, &call.options());
     keep_positions(&mut report.diagnostics, positions);
-    to_json(&report)
+    report
+        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
+        .map_err(JsValue::from)
 }
 
--- a/pkg/api.js
+++ b/pkg/api.js
@@ -304,10 +304,8 @@
   const { profile, buildId, schema: schemaOption } = optionsOf(options, 'validate');
   const engine = engineFor('validate', schemaOption);
   const schema = engine.schemaId(schemaOption);
-  return JSON.parse(
-    engine.guarded('validate', () =>
-      engine.glue.validateStaged(engine.stage(source), profile, schema, source.positions, buildId),
-    ),
+  return engine.guarded('validate', () =>
+    engine.glue.validateStaged(engine.stage(source), profile, schema, source.positions, buildId),
   );
 }
 
EOF
}

# build NAME CARGO_DIR [RUSTFLAGS]: HEAD's source in target/variants/src-NAME, built into a package.
build() {
  local name=$1 cargo_dir=$2 rustflags=${3:-}
  local src=$out/src-$name pkg=$out/$name
  rm -rf "$src" "$pkg"
  mkdir -p "$src" "$pkg"
  git archive HEAD | tar -x -C "$src"
  if [ "$name" = swb ]; then (cd "$src" && swb_patch); fi
  (cd "$src" && CARGO_TARGET_DIR=$cargo_dir RUSTFLAGS=$rustflags \
    cargo build --release --target wasm32-unknown-unknown --no-default-features)
  wasm-bindgen "${flags[@]}" --out-name oscontainer --out-dir "$pkg/wasm" \
    "$cargo_dir/wasm32-unknown-unknown/release/oscontainer.wasm"
  # The hand-written files, in their folders (cli/, sources/); wasm/ is generated.
  (cd "$src/pkg" && find . -path ./wasm -prune -o -type f \( -name '*.js' -o -name index.d.ts -o -name package.json \) -print0 |
    xargs -0 cp --parents -t "$pkg")
  cp pkg/wasm/oscontainer_schema.js pkg/wasm/oscontainer_schema_bg.wasm "$pkg/wasm/"
  echo "variants.sh: built $pkg"
}

for name in "${names[@]}"; do
  case $name in
    base) build base "$out/cargo" && rm -rf "$out/base-again" && cp -r "$out/base" "$out/base-again" ;;
    swb) build swb "$out/cargo" ;;
    simd) build simd "$out/cargo-simd" '-C target-feature=+simd128' ;;
    *) echo "variants.sh: unknown variant $name (base, swb, simd)" >&2; exit 2 ;;
  esac
done
