//! The release view and the cross-arch comparison on arbitrary bytes, under both
//! profiles: no panic, `valid` exactly when no finding is an error (so `valid: false`
//! always says why), findings located in their own document. The input is compared
//! alone, twice and beside a healthy document (`tests/robust/invariants.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/robust/mod.rs"]
mod robust;
use robust::invariants;

fuzz_target!(|data: &[u8]| {
    for profile in invariants::PROFILES {
        invariants::check_release(data, profile);
        invariants::check_arches(data, profile);
    }
});
