# oscontainer: `make serve` (build everything, serve the reviewer page) and `make test`.
# Every step installs what it needs and is skipped when already done.

# Must equal the exact `wasm-bindgen = "=…"` pin in Cargo.toml.
WASM_BINDGEN_VERSION := 0.2.129
PORT ?= 8080
WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := target/$(WASM_TARGET)/release/oscontainer.wasm
RUST_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock src/oscontainer.schema.json
STAMPS := .stamps

.PHONY: all test serve pkg www codes lint rust-test node-test browser-test bench bench-boundary fuzz tools clean

all: pkg

## ---- tools ---------------------------------------------------------------

$(STAMPS):
	@mkdir -p $(STAMPS)

$(STAMPS)/wasm-target: | $(STAMPS)
	@rustup target list --installed | grep -qx '$(WASM_TARGET)' || rustup target add $(WASM_TARGET)
	@touch $@

$(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION): | $(STAMPS)
	@if wasm-bindgen --version 2>/dev/null | grep -qx 'wasm-bindgen $(WASM_BINDGEN_VERSION)'; then :; \
	else cargo install --locked wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(STAMPS)/chromium: | $(STAMPS)
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	@touch $@

tools: $(STAMPS)/wasm-target $(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.package-lock.json

## ---- build ---------------------------------------------------------------

# Three builds of the one crate, each in a cargo profile (and so a target/ directory) of
# its own, so that building one never overwrites or rebuilds another:
# - pkg/wasm/oscontainer_bg.wasm, the module everyone loads: no feature "schema" (no
#   jsonschema), profile release (opt-level 3);
# - pkg/wasm/oscontainer_schema_bg.wasm, loaded only for options.schema: the same core plus
#   jsonschema (feature "schema"), profile release-schema (built for size);
# - $(TEST_PKG), the lean module plus feature test-hooks (an export that panics), for
#   the trap tests; never in pkg/.
# wasm-bindgen writes the glue and the .wasm into pkg/wasm/, next to the hand-written
# declarations of the glue (pkg/wasm/oscontainer.d.ts); nothing else of pkg/ is generated.
# Why each profile: Cargo.toml and docs/performance.md.
# `--experimental-reset-state-function` generates the re-instantiation the JS wrapper
# (pkg/api.js) uses after a trap. Our own pkg/index.d.ts replaces the generated types.
# --remove-name-section: the function names were 16% of the .wasm (540 KB raw, 135 KB gzipped);
# a panic still prints its message and source location (console_error_panic_hook), only
# the stack frames show as wasm-function[N]. See docs/performance.md.
WASM_BINDGEN_FLAGS := --target web --experimental-reset-state-function --no-typescript \
	--remove-name-section --remove-producers-section
# Where cargo writes: target/, or $CARGO_TARGET_DIR when it is set.
WASM_DIR := $(or $(CARGO_TARGET_DIR),target)/$(WASM_TARGET)
# The hand-written files of pkg/: every .js below it but the generated glue in pkg/wasm/
# (a new pkg/cli/*.js is one of them without editing this list), the public types, the manifest.
PKG_SOURCES := $(sort $(shell find pkg -name '*.js' -not -path 'pkg/wasm/*')) $(wildcard pkg/*.d.ts) pkg/package.json
# The generated files of pkg/ (wasm-bindgen's output).
PKG_WASM := pkg/wasm/oscontainer.js pkg/wasm/oscontainer_bg.wasm pkg/wasm/oscontainer_schema.js pkg/wasm/oscontainer_schema_bg.wasm
TEST_PKG := target/pkg-test
PKG_VERSION := $(shell sed -n 's/^  "version": "\(.*\)",$$/\1/p' pkg/package.json)
# What users install (README, docs/api.md): a tarball is copied into node_modules, where
# `npm install pkg/` would symlink the folder that a rebuild or `make clean` changes under them.
# It lives in target/, outside pkg/, so that it is never packed into itself.
PKG_TARBALL := target/oscontainer-$(PKG_VERSION).tgz
$(if $(PKG_VERSION),,$(error no "version" line found in pkg/package.json))
WASM_TOOLS := | $(STAMPS)/wasm-target $(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION)

# The glue (.js) is written with its .wasm; the .wasm stands for both.
pkg/wasm/oscontainer.js: pkg/wasm/oscontainer_bg.wasm
pkg/wasm/oscontainer_schema.js: pkg/wasm/oscontainer_schema_bg.wasm

pkg/wasm/oscontainer_bg.wasm: $(RUST_SOURCES) $(WASM_TOOLS)
	cargo build --release --target $(WASM_TARGET) --no-default-features
	wasm-bindgen $(WASM_BINDGEN_FLAGS) --out-name oscontainer --out-dir pkg/wasm $(WASM_DIR)/release/oscontainer.wasm

pkg/wasm/oscontainer_schema_bg.wasm: $(RUST_SOURCES) $(WASM_TOOLS)
	cargo build --profile release-schema --target $(WASM_TARGET)
	wasm-bindgen $(WASM_BINDGEN_FLAGS) --out-name oscontainer_schema --out-dir pkg/wasm $(WASM_DIR)/release-schema/oscontainer.wasm

$(TEST_PKG)/wasm/oscontainer_bg.wasm: $(RUST_SOURCES) $(WASM_TOOLS)
	cargo build --profile release-test --target $(WASM_TARGET) --no-default-features --features test-hooks
	@mkdir -p $(TEST_PKG)/wasm
	wasm-bindgen $(WASM_BINDGEN_FLAGS) --out-name oscontainer --out-dir $(TEST_PKG)/wasm $(WASM_DIR)/release-test/oscontainer.wasm

# The hand-written files next to the test build, in the same folders as in pkg/, so that
# it is a complete package.
$(TEST_PKG)/.copied: $(PKG_SOURCES) $(TEST_PKG)/wasm/oscontainer_bg.wasm pkg/wasm/oscontainer_schema_bg.wasm
	cd pkg && cp --parents $(PKG_SOURCES:pkg/%=%) wasm/oscontainer_schema.js wasm/oscontainer_schema_bg.wasm $(CURDIR)/$(TEST_PKG)/
	@touch $@

# The embedded schema's source is in the crate (src/schema.rs includes it), so that the
# library never reads from the npm folder; the package gets a copy, a build output like the
# .wasm. One direction only: edit src/oscontainer.schema.json, never the copy.
pkg/oscontainer.schema.json: src/oscontainer.schema.json
	cp $< $@

# npm pack honours "files" in pkg/package.json.
$(PKG_TARBALL): $(PKG_SOURCES) pkg/oscontainer.schema.json $(PKG_WASM)
	@mkdir -p $(@D)
	npm pack ./pkg --pack-destination $(@D) --ignore-scripts --loglevel=warn >/dev/null
	@echo 'packed $@ (npm install $(CURDIR)/$@)'

pkg: $(PKG_WASM) pkg/oscontainer.schema.json $(PKG_TARBALL)

## ---- checks --------------------------------------------------------------

# The lists of diagnostic codes generated from src/diagnostic.rs (the DiagnosticCode union in
# pkg/index.d.ts, the tables of docs/diagnostics.md, tests/node/codes.generated.json):
# `make codes` rewrites them; `make lint` fails, naming the file, when one is stale.
codes:
	cargo run --quiet --example codes -- write

# tsconfig.checkjs.json: tsc type-checks the hand-written JavaScript (pkg/**/*.js but the
# generated pkg/wasm/*.js, www/src/*.js) against JSDoc types, pkg/index.d.ts and the glue's
# declarations (pkg/wasm/oscontainer.d.ts);
# it needs no build, so it runs before `make pkg` too.
lint: node_modules/.package-lock.json | $(STAMPS)/wasm-target
	node_modules/.bin/tsc -p tsconfig.checkjs.json
	cargo run --quiet --example codes -- check
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --features test-hooks -- -D warnings
	cargo clippy --target $(WASM_TARGET) --no-default-features --features test-hooks -- -D warnings
	cargo clippy --target $(WASM_TARGET) --no-default-features --features boundary-bench -- -D warnings

rust-test:
	cargo test

NODE_TESTS := $(wildcard tests/node/*.test.mjs)

# The TAP reporter prints node's own summary (`# tests`, `# pass`, `# fail`).
node-test: pkg $(TEST_PKG)/.copied node_modules/.package-lock.json
	node --test --test-reporter=tap $(NODE_TESTS)

## ---- benchmarks (make bench; not part of make test) ---------------------------------

# GNU time's -v reports a process's peak RSS; Debian's `time` package provides it.
$(STAMPS)/gnu-time: | $(STAMPS)
	@if /usr/bin/time -v true 2>&1 | grep -q 'Maximum resident set size'; then :; \
	else apt-get update && apt-get install -y time; fi
	@touch $@

# BENCH_ARGS passes options to the harness, e.g. make bench BENCH_ARGS='--only timing --docs 20k'.
# The page section opens www/dist in Chromium (navigation → first findings shown).
bench: pkg www node_modules/.package-lock.json $(STAMPS)/gnu-time $(STAMPS)/chromium
	node --expose-gc bench/run.mjs $(BENCH_ARGS)

# serde-wasm-bindgen against the JSON-text boundary (docs/performance.md, "The JS
# boundary"): the lean module plus feature boundary-bench (extra exports), in a profile
# and a directory of its own; never in pkg/. BOUNDARY_ARGS passes options to the script.
BOUNDARY_PKG := target/pkg-boundary

$(BOUNDARY_PKG)/oscontainer_bg.wasm: $(RUST_SOURCES) $(WASM_TOOLS)
	cargo build --profile release-boundary --target $(WASM_TARGET) --no-default-features --features boundary-bench
	@mkdir -p $(BOUNDARY_PKG)
	wasm-bindgen $(WASM_BINDGEN_FLAGS) --out-name oscontainer --out-dir $(BOUNDARY_PKG) $(WASM_DIR)/release-boundary/oscontainer.wasm
	cp pkg/package.json $(BOUNDARY_PKG)/

bench-boundary: $(BOUNDARY_PKG)/oscontainer_bg.wasm node_modules/.package-lock.json
	node --expose-gc bench/boundary.mjs $(BOUNDARY_ARGS)

## ---- fuzzing (make fuzz; not part of make test) ---------------------------------------

# cargo-fuzz on nightly, one target after the other, one job each, FUZZ_SECONDS per target
# (default 60); FUZZ_TARGETS picks some. The targets and what they check:
# docs/robustness.md. Crashes land in fuzz/artifacts/<target>/ and fail the run. Be kind to a
# shared machine: nice -n 19 make fuzz FUZZ_SECONDS=1800.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= reference validate_bytes upgrade_bytes upgrade_structured release_arches structure

$(STAMPS)/cargo-fuzz: | $(STAMPS)
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
	@touch $@

fuzz: $(STAMPS)/cargo-fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ_TARGETS)

## ---- reviewer page (www/) -------------------------------------------------

WWW_SOURCES := $(shell find www -path www/dist -prune -o -type f -print)

# build.mjs rewrites all of www/dist in one go; index.html stands for the whole build.
www/dist/index.html: $(WWW_SOURCES) $(PKG_WASM) $(PKG_SOURCES) node_modules/.package-lock.json
	node www/build.mjs

www: www/dist/index.html

serve: www
	@PORT=$(PORT) exec node www/serve.mjs

BROWSER_TESTS := $(wildcard tests/browser/*.test.mjs)

# robustness.test.mjs loads the test-hooks build (a real trap in the page's worker).
browser-test: www $(STAMPS)/chromium $(TEST_PKG)/.copied
	node --test --test-reporter=tap $(BROWSER_TESTS)

test: lint rust-test
	$(MAKE) --no-print-directory node-test
	$(MAKE) --no-print-directory browser-test

clean:
	rm -rf target $(PKG_WASM) pkg/wasm/snippets pkg/oscontainer.schema.json www/dist $(STAMPS)
