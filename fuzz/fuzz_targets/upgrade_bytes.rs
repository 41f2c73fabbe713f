//! `upgrade` on arbitrary bytes, under both profiles: no panic, idempotent, nothing
//! fixable left, bytes and JSON value unchanged outside the changed entries.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/robust/mod.rs"]
mod robust;
use robust::invariants;

fuzz_target!(|data: &[u8]| {
    for profile in invariants::PROFILES {
        invariants::check_upgrade(data, profile);
    }
});
