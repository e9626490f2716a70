//! POP3's line reader and command parser, as both POP3 ends run them on
//! what a client sends, with the protocol log's masking of each line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsh::engines::net::LineReader;
use mailsh::engines::net::protolog::mask_after;
use mailsh::engines::pop3::command::{Command, parse};

fuzz_target!(|data: &[u8]| {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    runtime.block_on(async {
        let mut reader = LineReader::new(data);
        for _ in 0..512 {
            // MaxCommandSize's smallest and default values.
            let Ok(line) = reader.read_line(if data.len() % 2 == 0 { 40 } else { 512 }).await else { break };
            let _ = parse(&line);
            let _ = mask_after(&String::from_utf8_lossy(&line), Command::loggable_words(&line));
        }
    });
});
