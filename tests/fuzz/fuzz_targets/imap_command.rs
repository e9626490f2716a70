//! The IMAP command reader (imap-codec's fragmentizer and parser behind
//! mailsh's limits), as both IMAP ends run it on what a client sends:
//! commands, literals, and AUTHENTICATE continuations; then the answer to
//! bad input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsh::engines::imap::wire::{CommandReader, Incoming, Limits};

fuzz_target!(|data: &[u8]| {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    runtime.block_on(async {
        let mut reader = CommandReader::new(Limits { max_line: 1024, max_literal: 4096 }).tracking_leftover();
        let mut input = data;
        let mut answers = tokio::io::sink();
        for _ in 0..512 {
            match reader.next(&mut input, &mut answers).await {
                Ok(Incoming::Closed) | Err(_) => break,
                // An AUTHENTICATE's continuation is read the way the ends
                // read it (with or without an initial response: more paths).
                Ok(Incoming::Command(cmd)) if cmd.name() == "AUTHENTICATE" => {
                    let _ = reader.sasl_response(&mut input).await;
                }
                Ok(Incoming::Command(_)) => {}
                Ok(other) => {
                    let _ = other.bad_input_reply();
                }
            }
            let _ = reader.leftover();
        }
    });
});
