# oscontainer: `make serve` (build everything, serve the reviewer page) and `make test`.
# Every step installs what it needs and is skipped when already done.

# Must equal the exact `wasm-bindgen = "=…"` pin in Cargo.toml.
WASM_BINDGEN_VERSION := 0.2.129
PORT ?= 8080
WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := target/$(WASM_TARGET)/release/oscontainer.wasm
RUST_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock pkg/oscontainer.schema.json
STAMPS := .stamps

.PHONY: all test serve pkg www lint rust-test node-test browser-test bench fuzz tools clean

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

$(WASM_OUT): $(RUST_SOURCES) | $(STAMPS)/wasm-target
	cargo build --release --target $(WASM_TARGET)

pkg/oscontainer_bg.wasm: $(WASM_OUT) | $(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION)
	wasm-bindgen --target web --out-dir pkg --out-name oscontainer $(WASM_OUT)

pkg: pkg/oscontainer_bg.wasm

## ---- checks --------------------------------------------------------------

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

rust-test:
	cargo test

test: lint rust-test

clean:
	rm -rf target pkg/oscontainer.js pkg/oscontainer.d.ts pkg/oscontainer_bg.wasm pkg/oscontainer_bg.wasm.d.ts www/dist $(STAMPS)
