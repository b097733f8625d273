//! Tracker tokens in the OS keyring (the Secret Service on Linux, via the `keyring` crate).
//! Tokens are never written to the database, logs, reports or bundles.

use assay_evidence::Tracker;
use assay_trackers::{mlflow, wandb};
use serde::Deserialize;

use crate::{APP_IDENTIFIER, ApiError, Credential, Result, TrackerTarget};

/// How an import authenticates. The secret is not part of it: it is read from the keyring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    #[default]
    None,
    /// User and password (MLflow).
    Basic,
    /// A bearer token (MLflow).
    Bearer,
    /// An API key (W&B).
    ApiKey,
}

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

/// The keyring account of the token for the tracker at `url` (normalised as imports key it).
pub fn tracker_account(tracker: Tracker, url: &str, user: Option<&str>) -> Result<String> {
    let instance = match tracker {
        Tracker::Mlflow => mlflow::instance_of(url)?,
        Tracker::Wandb => wandb::instance_of(url)?,
    };
    let user = user.map(str::trim).filter(|u| !u.is_empty());
    Ok(token_account(tracker, &instance, user))
}

/// Where an import's secret is looked for before the OS keyring, and what the user is told
/// when something is missing. The default (the desktop app's) is the keyring only, with
/// generic messages; the CLI names its environment variables and flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SecretLookup<'a> {
    /// An environment variable whose value, when set and not blank, is the secret.
    pub variable: Option<&'a str>,
    /// Said when neither the variable nor the keyring holds a secret.
    pub missing: Option<&'a str>,
    /// Said when basic authentication has no user name.
    pub no_user: Option<&'a str>,
}

impl TokenStore {
    /// The credential an import of `target` uses, its secret taken from the keyring.
    pub fn credential(
        &self,
        target: &TrackerTarget,
        auth: AuthKind,
        user: Option<&str>,
    ) -> Result<Credential> {
        self.credential_with(target, auth, user, &SecretLookup::default())
    }

    /// The credential an import of `target` uses: the user name trimmed (a blank one is
    /// none), the secret from `lookup`'s variable, else from the keyring entry of that
    /// tracker instance and user (see [`tracker_account`]).
    pub fn credential_with(
        &self,
        target: &TrackerTarget,
        auth: AuthKind,
        user: Option<&str>,
        lookup: &SecretLookup<'_>,
    ) -> Result<Credential> {
        let user = user.map(str::trim).filter(|u| !u.is_empty());
        let missing = || {
            ApiError::Invalid(lookup.missing.map_or_else(
                || format!("no token is stored for {}; save one first", target.url()),
                str::to_owned,
            ))
        };
        let secret = |user: Option<&str>| {
            if let Some(value) = lookup
                .variable
                .and_then(|name| std::env::var(name).ok())
                .filter(|v| !v.trim().is_empty())
            {
                return Ok(value);
            }
            self.load(&tracker_account(target.tracker(), target.url(), user)?)?
                .ok_or_else(missing)
        };
        Ok(match auth {
            AuthKind::None => Credential::None,
            AuthKind::Basic => {
                let user = user.ok_or_else(|| {
                    ApiError::Invalid(
                        lookup
                            .no_user
                            .unwrap_or("basic authentication needs a user name")
                            .to_owned(),
                    )
                })?;
                Credential::Basic {
                    user: user.to_owned(),
                    password: secret(Some(user))?,
                }
            }
            AuthKind::Bearer => Credential::Bearer(secret(None)?),
            AuthKind::ApiKey => Credential::ApiKey(secret(None)?),
        })
    }

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
