//! The differential target of `src/structure.rs`: on arbitrary bytes, every top-level
//! entry object gets exactly the structural findings (kind and pointer) that the
//! embedded schema gives it through jsonschema (`tests/robust/structure.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/robust/mod.rs"]
mod robust;

fuzz_target!(|data: &[u8]| {
    robust::structure::check_structure(data);
});
