//! The transcript reader of `mailsh -Replay` (recorded .ps1 sessions), and
//! its matching of expected against actual lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsh::hosts::replay::{block_matches, line_matches, parse_transcript, split_prompt, unified_diff};

fuzz_target!(|text: &str| {
    let t = parse_transcript(text);
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    for line in lines.iter().take(64) {
        let _ = split_prompt(line);
        let _ = line_matches(line, "Name  : Bob");
        let _ = line_matches(line, line);
    }
    for e in t.entries.iter().take(16) {
        let _ = (e.line, &e.prompt, &e.command, block_matches(&e.expected, &lines));
    }
    let half = lines.len() / 2;
    let _ = unified_diff(&lines[..half], &lines[half..]);
});
