//! `upgrade` on structure-aware inputs: an `arbitrary`-generated meta.json (or fragment,
//! or bare entry) with entries of every shape and varied layout
//! (`tests/robust/gen.rs`), checked with every invariant (`tests/robust/invariants.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/robust/mod.rs"]
mod robust;

fuzz_target!(|data: &[u8]| {
    let text = robust::gen::DocSpec::from_bytes(data).render();
    robust::invariants::check_bytes(text.as_bytes());
});
