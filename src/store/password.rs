//! Mailbox passwords: argon2id PHC strings, never the password itself.

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// The most memory a stored hash may ask for (KiB). Hashes mailsh writes
/// ask for argon2's default, 19 MiB; a damaged or hand-edited record asking
/// for more verifies nothing rather than letting one logon allocate
/// gigabytes.
pub const MAX_M_COST_KIB: u32 = 64 * 1024;

pub fn hash(password: &str) -> Result<String, String> {
    let mut salt_bytes = [0u8; 16];
    super::fill_random(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Verification against a stored PHC string, comparing in constant time; a
/// damaged hash verifies nothing. Allocates argon2's memory for this one
/// call: the services verify through [`Verifier`], which keeps it.
pub fn verify(password: &str, phc: &str) -> bool {
    Verifier::default().verify(password, phc)
}

/// Verifies passwords with one argon2 memory area, allocated at the first
/// call and reused by the next ones until [`Verifier::release`], so a
/// thread that verifies many passwords in a row holds the same few
/// megabytes instead of asking the allocator for them each time.
#[derive(Default)]
pub struct Verifier {
    blocks: Vec<Block>,
}

impl Verifier {
    /// Gives the memory area back (the next check allocates it again).
    pub fn release(&mut self) {
        self.blocks = Vec::new();
    }

    /// Octets of argon2 memory held.
    pub fn held(&self) -> usize {
        self.blocks.len() * std::mem::size_of::<Block>()
    }

    pub fn verify(&mut self, password: &str, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else { return false };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
        let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else { return false };
        let version = match parsed.version.map(Version::try_from) {
            None => Version::default(),
            Some(Ok(v)) => v,
            Some(Err(_)) => return false,
        };
        let Ok(params) = Params::try_from(&parsed) else { return false };
        if params.m_cost() > MAX_M_COST_KIB {
            return false;
        }
        let mut salt_bytes = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
        let count = params.block_count();
        if self.blocks.len() < count {
            self.blocks.resize(count, Block::default());
        }
        let mut computed = vec![0u8; expected.len()];
        let hasher = Argon2::new(algorithm, version, params);
        if hasher
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut self.blocks[..count])
            .is_err()
        {
            return false;
        }
        // `Output`'s equality is constant-time.
        Output::new(&computed).is_ok_and(|c| c == expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("P@ssw0rd").expect("hashing a short password works");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("P@ssw0rd", &h));
        assert!(!verify("p@ssw0rd", &h));
        assert!(!verify("P@ssw0rd", "not a hash"));
    }

    #[test]
    fn one_verifier_checks_many_passwords_with_the_same_memory() {
        let h = hash("right").expect("hash");
        let mut v = Verifier::default();
        assert!(!v.verify("wrong", &h));
        let kept = v.blocks.len();
        assert!(kept > 0);
        assert!(v.verify("right", &h));
        assert_eq!(v.blocks.len(), kept, "the memory is reused");
        assert_eq!(v.held(), kept * 1024);
        v.release();
        assert_eq!(v.held(), 0);
        assert!(v.verify("right", &h), "a released verifier still verifies");
    }

    #[test]
    fn a_hash_asking_for_too_much_memory_verifies_nothing() {
        // m=1 GiB: refused before anything is allocated.
        let h = "$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
                 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let mut v = Verifier::default();
        assert!(!v.verify("x", h));
        assert!(v.blocks.is_empty());
    }
}
