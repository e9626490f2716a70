//! OPATH filters (`-Filter` of Get-CASMailbox and friends).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = mailsh::language::opath::parse_filter(text);
});
