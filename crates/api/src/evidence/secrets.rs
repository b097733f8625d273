//! Tracker tokens in the OS keyring (the Secret Service on Linux, via the `keyring` crate).
//! Tokens are never written to the database, logs, reports or bundles.

use assay_evidence::Tracker;

use crate::{APP_IDENTIFIER, ApiError, Result};

/// Where tokens are kept: one keyring service, one entry per tracker instance (and user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStore {
    service: String,
}

/// The keyring account name of a tracker instance's token, e.g. `mlflow https://host (ana)`.
pub fn token_account(tracker: Tracker, instance: &str, user: Option<&str>) -> String {
    match user {
        Some(user) => format!("{} {instance} ({user})", tracker.as_str()),
        None => format!("{} {instance}", tracker.as_str()),
    }
}

impl TokenStore {
    /// The app's own entries.
    pub fn os() -> TokenStore {
        TokenStore::with_service(APP_IDENTIFIER)
    }

    /// Entries under another service name (tests use their own, to leave real ones alone).
    pub fn with_service(service: &str) -> TokenStore {
        TokenStore {
            service: service.to_owned(),
        }
    }

    pub fn save(&self, account: &str, secret: &str) -> Result<()> {
        if secret.trim().is_empty() {
            return Err(ApiError::Invalid("the token is empty".into()));
        }
        self.entry(account)?
            .set_password(secret)
            .map_err(unavailable)
    }

    /// The token, or `None` when none is stored.
    pub fn load(&self, account: &str) -> Result<Option<String>> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Removes the token; true when there was one.
    pub fn delete(&self, account: &str) -> Result<bool> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(unavailable)
    }
}

fn unavailable(error: keyring::Error) -> ApiError {
    ApiError::Keyring(format!(
        "the OS keyring could not be used ({error}); on Linux it needs a running Secret Service \
         such as GNOME Keyring, or pass the token in an environment variable instead"
    ))
}
