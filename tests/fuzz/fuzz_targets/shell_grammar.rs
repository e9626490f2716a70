//! The shell's grammar: a script as -File, -Command or standard input give
//! it (`language::parse_script`); its errors as PowerShell words them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = mailsh::language::parse_script(text) {
        let _ = (e.message, e.span, e.incomplete);
    }
});
