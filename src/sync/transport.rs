//! The transport boundary: what a sync pass needs from a clearinghouse connection, whatever
//! carries the files (a folder, Claim.MD's HTTP API), and how its failures are classified.

use super::outbox::OutboxKind;
use std::collections::BTreeMap;

/// A file to upload, with the key that makes a retry recognisable.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub kind: OutboxKind,
    pub file_name: &'a str,
    pub content: &'a [u8],
    pub idempotency_key: &'a str,
}

/// What the clearinghouse said on taking an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    /// Its id for the upload, when it gives one (Claim.MD's file id).
    pub remote_id: Option<String>,
}

/// A file the clearinghouse offers for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    /// The transport's id for it (a file name in the folder, an ERA id …).
    pub remote_id: String,
    /// The name it is stored under.
    pub file_name: String,
    /// The read position to save once the file is stored, so the next list starts after it.
    pub cursor: Option<(String, String)>,
    /// The bytes, when the list already carried them (Claim.MD's response list does).
    pub content: Option<Vec<u8>>,
}

/// The transports' read positions (Claim.MD's last ResponseID and ERAID), by name.
pub type Cursors = BTreeMap<String, String>;

/// Why a transfer failed, classified by what the pass should do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The clearinghouse cannot be reached (no network, refused, timed out): try later.
    #[error("the clearinghouse cannot be reached: {0}")]
    Offline(String),
    /// The clearinghouse failed this time (a 5xx, a dropped connection): try later.
    #[error("the clearinghouse failed, will try again: {0}")]
    Retryable(String),
    /// The clearinghouse refused this file for good; sending it again will not help.
    #[error("the clearinghouse refused the file: {0}")]
    Rejected(String),
    /// Credentials or configuration are wrong: nothing will work until a person fixes them.
    #[error("sync is not set up correctly: {0}")]
    Setup(String),
}

impl TransportError {
    /// True when the same request may succeed later without anyone changing anything.
    pub fn is_retryable(&self) -> bool {
        matches!(self, TransportError::Offline(_) | TransportError::Retryable(_))
    }
}

/// A connection to the clearinghouse. Every method is one request; the pass decides order,
/// retries and bookkeeping.
pub trait Transport {
    /// A short name for messages (`folder`, `claimmd`).
    fn name(&self) -> &'static str;

    /// Sends a file. Must be safe to repeat with the same idempotency key.
    fn upload(&mut self, upload: &Upload<'_>) -> Result<Receipt, TransportError>;

    /// Whether an earlier, interrupted upload of this file arrived; asked before sending a
    /// file again that a crash left `sending`.
    fn find_upload(&mut self, upload: &Upload<'_>) -> Result<Option<Receipt>, TransportError>;

    /// The files waiting to be fetched after the saved read positions.
    fn list_incoming(&mut self, cursors: &Cursors) -> Result<Vec<Offered>, TransportError>;

    /// The bytes of an offered file (when the list did not carry them).
    fn download(&mut self, offered: &Offered) -> Result<Vec<u8>, TransportError>;

    /// Sends a 270 and waits for its 271, when the transport offers real-time eligibility;
    /// `None` means it does not, and the 270 goes through the outbox instead.
    fn eligibility(&mut self, _request: &[u8]) -> Result<Option<Vec<u8>>, TransportError> {
        Ok(None)
    }

    /// Called once the file is safely stored in the inbox, so the transport may stop
    /// offering it (the folder moves it aside). Failing here loses nothing: the next list
    /// offers it again and the inbox recognises its content.
    fn settle(&mut self, offered: &Offered) -> Result<(), TransportError>;
}
