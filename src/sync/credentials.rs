//! The clearinghouse API key: kept in the operating system's keychain (macOS Keychain,
//! Windows Credential Manager, the Linux kernel keyring) through the `keyring` crate, never
//! in the database, which is copied into backups and exports.
//!
//! Fallback: where no keychain service exists (a headless Linux box, a CI runner, a
//! container), the key is read from the `HMEDESK_CLAIMMD_KEY` environment variable, which
//! the machine's service manager can supply without writing it next to the data.

use super::SyncError;

const SERVICE: &str = crate::db::APP_IDENTIFIER;
const ACCOUNT: &str = "claimmd-account-key";
/// The environment variable read when the keychain holds no key.
pub const ENV_FALLBACK: &str = "HMEDESK_CLAIMMD_KEY";

fn entry() -> Result<keyring::Entry, keyring::Error> {
    keyring::Entry::new(SERVICE, ACCOUNT)
}

/// Saves the Claim.MD account key in the keychain.
pub fn store_claimmd_key(key: &str) -> Result<(), SyncError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(SyncError::Invalid("the account key is empty".into()));
    }
    entry().and_then(|e| e.set_password(key)).map_err(|e| {
        SyncError::NotConfigured(format!(
            "the keychain cannot hold the key ({e}); set {ENV_FALLBACK} for the program instead"
        ))
    })
}

/// The Claim.MD account key: from the keychain, else from [`ENV_FALLBACK`].
pub fn claimmd_key() -> Result<String, SyncError> {
    if let Ok(key) = entry().and_then(|e| e.get_password()) {
        return Ok(key);
    }
    std::env::var(ENV_FALLBACK).ok().filter(|k| !k.trim().is_empty()).ok_or_else(|| {
        SyncError::NotConfigured(format!(
            "no Claim.MD account key: save it with `hmedesk sync set-key` or set {ENV_FALLBACK}"
        ))
    })
}
