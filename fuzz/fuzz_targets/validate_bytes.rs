//! `validate` on arbitrary bytes, under both profiles: no panic, positions lead back to
//! the offsets of the pointers, `valid` agrees with the severities.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/robust/mod.rs"]
mod robust;
use robust::invariants;

fuzz_target!(|data: &[u8]| {
    for profile in invariants::PROFILES {
        invariants::check_validate(data, profile);
    }
});
