//! Message flags: the five system flags as bits, keywords as words.

/// System flag bits as stored in `message.flags`.
pub mod flag {
    pub const SEEN: u32 = 1;
    pub const ANSWERED: u32 = 2;
    pub const FLAGGED: u32 = 4;
    pub const DELETED: u32 = 8;
    pub const DRAFT: u32 = 16;
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// Bits of [`flag`].
    pub system: u32,
    /// Keywords (`$Forwarded`, `Junk`...), case kept, compared without case.
    pub keywords: Vec<String>,
}

/// How STORE combines flags with what a message has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagOp {
    Replace,
    Add,
    Remove,
}

impl Flags {
    pub fn system(bits: u32) -> Flags {
        Flags { system: bits, keywords: vec![] }
    }

    pub fn has(&self, bit: u32) -> bool {
        self.system & bit != 0
    }

    pub fn has_keyword(&self, word: &str) -> bool {
        self.keywords.iter().any(|k| k.eq_ignore_ascii_case(word))
    }

    /// The result of applying `op` with `other` to these flags.
    pub fn apply(&self, op: FlagOp, other: &Flags) -> Flags {
        match op {
            FlagOp::Replace => other.normalized(),
            FlagOp::Add => {
                let mut out = self.clone();
                out.system |= other.system;
                for k in &other.keywords {
                    if !out.has_keyword(k) {
                        out.keywords.push(k.clone());
                    }
                }
                out
            }
            FlagOp::Remove => Flags {
                system: self.system & !other.system,
                keywords: self.keywords.iter().filter(|k| !other.has_keyword(k)).cloned().collect(),
            },
        }
    }

    fn normalized(&self) -> Flags {
        Flags::system(0).apply(FlagOp::Add, self)
    }

    pub(crate) fn keywords_text(&self) -> String {
        self.keywords.join(" ")
    }

    pub(crate) fn from_columns(system: u32, keywords: &str) -> Flags {
        Flags { system, keywords: keywords.split_whitespace().map(str::to_string).collect() }
    }
}
