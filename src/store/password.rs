//! Mailbox passwords: argon2id PHC strings, never the password itself.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(password: &str) -> Result<String, String> {
    let mut salt_bytes = [0u8; 16];
    super::fill_random(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Constant-time verification against a stored PHC string; a damaged hash
/// verifies nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = super::hash("P@ssw0rd").expect("hashing a short password works");
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("P@ssw0rd", &h));
        assert!(!super::verify("p@ssw0rd", &h));
        assert!(!super::verify("P@ssw0rd", "not a hash"));
    }
}
