//! A tiny seeded generator for the random-input tests (reproducible, no dependency).

pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A string of up to `max_len` characters drawn from `alphabet`.
    pub(crate) fn string(&mut self, alphabet: &[char], max_len: usize) -> String {
        let len = self.below(max_len + 1);
        (0..len).map(|_| alphabet[self.below(alphabet.len())]).collect()
    }

    /// A double from a mix of ordinary, tiny, huge and special values.
    pub(crate) fn double(&mut self) -> f64 {
        match self.below(6) {
            0 => f64::from_bits(self.next()),
            1 => (self.next() % 2_000_000) as f64 / 1000.0 - 1000.0,
            2 => (self.next() % 100_000) as f64,
            3 => [0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN_POSITIVE, 0.5, 2.675]
                [self.below(9)],
            4 => (self.next() as i64) as f64 / 1e9,
            _ => 10f64.powi(self.below(40) as i32 - 20) * (self.below(1000) as f64),
        }
    }
}
