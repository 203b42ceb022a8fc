//! Bearer-token authentication (RFC 6750): tokens kept as SHA-256 digests,
//! several valid at once, each with a label naming its identity provider.

use crate::{Result, ScimError};
use sha2::{Digest, Sha256};

/// One accepted token: a label and the SHA-256 digest of the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHash {
    /// Who holds the token, such as `miniOrange`; reported with each request.
    pub label: String,
    /// SHA-256 of the token's bytes.
    pub digest: [u8; 32],
}

/// The tokens a server accepts. Secrets are never kept, only their digests,
/// so a leaked configuration does not leak a usable token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenSet {
    tokens: Vec<TokenHash>,
}

/// The SHA-256 digest of `token`, as lowercase hex: the form tokens are
/// configured in.
#[must_use]
pub fn hash_token(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn from_hex(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let hi = char::from(pair[0]).to_digit(16)?;
        let lo = char::from(pair[1]).to_digit(16)?;
        *slot = u8::try_from(hi << 4 | lo).ok()?;
    }
    Some(out)
}

impl TokenSet {
    /// No token: every request is refused.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a token by the hex SHA-256 digest of its secret.
    ///
    /// # Errors
    /// `invalidValue` when `digest_hex` is not 64 hexadecimal digits.
    pub fn add_digest(&mut self, label: &str, digest_hex: &str) -> Result<()> {
        let digest = from_hex(digest_hex.trim()).ok_or_else(|| {
            ScimError::invalid_value(format!(
                "token \"{label}\": digest must be 64 hexadecimal digits (SHA-256)"
            ))
        })?;
        self.tokens.push(TokenHash {
            label: label.to_owned(),
            digest,
        });
        Ok(())
    }

    /// Adds a token by its secret; only the digest is kept.
    pub fn add_secret(&mut self, label: &str, secret: &str) {
        let digest: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        self.tokens.push(TokenHash {
            label: label.to_owned(),
            digest,
        });
    }

    /// Whether no token is configured.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The label of the token an `Authorization` header carries.
    ///
    /// The scheme is matched without regard to case (RFC 7235 §2.1). Every
    /// configured digest is compared, in constant time, whatever matched
    /// before, so timing tells nothing about which token nearly matched.
    ///
    /// # Errors
    /// `Unauthorized` naming what was wrong: no header, another scheme, or an
    /// unknown token.
    pub fn authenticate(&self, authorization: Option<&str>) -> Result<&str> {
        let header = authorization
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .ok_or_else(|| {
                ScimError::Unauthorized(
                    "a bearer token is required in the Authorization header".into(),
                )
            })?;
        let (scheme, token) = header.split_once(' ').unwrap_or((header, ""));
        if !scheme.eq_ignore_ascii_case("Bearer") {
            return Err(ScimError::Unauthorized(
                "the Authorization header must use the Bearer scheme".into(),
            ));
        }
        let digest: [u8; 32] = Sha256::digest(token.trim().as_bytes()).into();
        let mut found = None;
        for known in &self.tokens {
            if constant_time_eq(&known.digest, &digest) && found.is_none() {
                found = Some(known.label.as_str());
            }
        }
        found.ok_or_else(|| ScimError::Unauthorized("the bearer token is not valid".into()))
    }
}

fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_any_configured_token_and_names_it() {
        let mut tokens = TokenSet::new();
        tokens.add_secret("okta", "s3cret-okta");
        tokens
            .add_digest("entra", &hash_token("s3cret-entra"))
            .unwrap();
        assert_eq!(
            tokens.authenticate(Some("Bearer s3cret-okta")).unwrap(),
            "okta"
        );
        assert_eq!(
            tokens.authenticate(Some("bearer s3cret-entra")).unwrap(),
            "entra"
        );
    }

    #[test]
    fn refuses_with_a_reason() {
        let mut tokens = TokenSet::new();
        tokens.add_secret("okta", "s3cret");
        let detail = |h| tokens.authenticate(h).unwrap_err().detail().to_owned();
        assert_eq!(
            detail(None),
            "a bearer token is required in the Authorization header"
        );
        assert_eq!(
            detail(Some("Basic czNjcmV0")),
            "the Authorization header must use the Bearer scheme"
        );
        assert_eq!(detail(Some("Bearer nope")), "the bearer token is not valid");
        assert_eq!(detail(Some("Bearer")), "the bearer token is not valid");
    }

    #[test]
    fn digests_are_sha256_hex() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut tokens = TokenSet::new();
        assert!(tokens.add_digest("x", "abc").is_err());
    }
}
