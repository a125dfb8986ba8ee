//! The folder transport: outgoing files are written into one folder and incoming files
//! picked up from another, for clearinghouse desktop clients, mapped drives and SFTP sync
//! tools that move files on their own.
//!
//! Writes are atomic (a hidden temporary file renamed into place), so the other program
//! never picks up half a file. Files fetched are moved into `processed/` under the incoming
//! folder once the inbox holds them; a crash before the move only makes the next pass offer
//! them again, and the inbox recognises their content.

use super::transport::{Cursors, Offered, Receipt, Transport, TransportError, Upload};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The sub-folder of the incoming folder that fetched files are moved into.
pub const PROCESSED: &str = "processed";

/// Files in two folders.
#[derive(Debug, Clone)]
pub struct FolderTransport {
    outgoing: PathBuf,
    incoming: PathBuf,
}

impl FolderTransport {
    /// Writes into `outgoing`, reads from `incoming`.
    pub fn new(outgoing: impl Into<PathBuf>, incoming: impl Into<PathBuf>) -> FolderTransport {
        FolderTransport { outgoing: outgoing.into(), incoming: incoming.into() }
    }

    fn target(&self, upload: &Upload<'_>) -> PathBuf {
        self.outgoing.join(upload.file_name)
    }
}

/// A missing or unreadable folder means the drive or share is not there: offline, not broken.
fn offline(path: &Path, e: std::io::Error) -> TransportError {
    TransportError::Offline(format!("{}: {e}", path.display()))
}

impl Transport for FolderTransport {
    fn name(&self) -> &'static str {
        "folder"
    }

    fn upload(&mut self, upload: &Upload<'_>) -> Result<Receipt, TransportError> {
        let target = self.target(upload);
        if fs::read(&target).is_ok_and(|existing| existing != upload.content) {
            return Err(TransportError::Rejected(format!(
                "{} already holds a different file of that name",
                target.display()
            )));
        }
        let temp = self.outgoing.join(format!(".{}.part", upload.idempotency_key));
        let write = || -> std::io::Result<()> {
            let mut f = fs::File::create(&temp)?;
            f.write_all(upload.content)?;
            f.sync_all()?;
            fs::rename(&temp, &target)
        };
        write().map_err(|e| offline(&self.outgoing, e))?;
        Ok(Receipt { remote_id: Some(upload.file_name.to_string()) })
    }

    fn find_upload(&mut self, upload: &Upload<'_>) -> Result<Option<Receipt>, TransportError> {
        if !self.outgoing.is_dir() {
            return Err(TransportError::Offline(format!("{} is not reachable", self.outgoing.display())));
        }
        let found = fs::read(self.target(upload)).is_ok_and(|existing| existing == upload.content);
        Ok(found.then(|| Receipt { remote_id: Some(upload.file_name.to_string()) }))
    }

    fn list_incoming(&mut self, _cursors: &Cursors) -> Result<Vec<Offered>, TransportError> {
        let entries = fs::read_dir(&self.incoming).map_err(|e| offline(&self.incoming, e))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| offline(&self.incoming, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().is_ok_and(|t| t.is_file()) && !name.starts_with('.') {
                names.push(name);
            }
        }
        names.sort();
        Ok(names
            .into_iter()
            .map(|name| Offered { remote_id: name.clone(), file_name: name, cursor: None, content: None })
            .collect())
    }

    fn download(&mut self, offered: &Offered) -> Result<Vec<u8>, TransportError> {
        let path = self.incoming.join(&offered.remote_id);
        fs::read(&path).map_err(|e| offline(&path, e))
    }

    fn settle(&mut self, offered: &Offered) -> Result<(), TransportError> {
        let done = self.incoming.join(PROCESSED);
        fs::create_dir_all(&done).map_err(|e| offline(&done, e))?;
        let from = self.incoming.join(&offered.remote_id);
        fs::rename(&from, done.join(&offered.remote_id)).map_err(|e| offline(&from, e))
    }
}
