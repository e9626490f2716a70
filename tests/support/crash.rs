//! Where the crash tests' kills fall: a generator seeded from the clock,
//! or from MAILSH_CRASH_SEED to run a failed case again (the tests print
//! the seed with any failure).

/// xorshift64*: enough to scatter a few kills.
pub struct Kills {
    pub seed: u64,
    state: u64,
}

impl Kills {
    pub fn seeded() -> Kills {
        let seed: u64 = std::env::var("MAILSH_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
        });
        Kills { seed, state: seed | 1 }
    }

    /// A number below `below`.
    pub fn below(&mut self, below: u64) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        (self.state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % below
    }
}
