//! Scanned files attached to documents, kept in the database with their SHA-256 hash.
//!
//! The hash is taken when a file is attached and checked again whenever it is read back, so
//! a scan that was altered in the database is reported instead of handed out as evidence.
//! The same file attached twice to one document is refused.

use super::DocumentError;
use crate::db::{now_utc, Actor, Change, Db};
use crate::validation::Problems;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Largest scan accepted: 25 MB, far above a multi-page fax at 200 dpi.
const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;

/// A file attached to a document (its content is read with [`file_content`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DocumentFile {
    pub id: i64,
    pub document_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    pub added_at: String,
}

/// Why a file could not be attached or read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("there is no attached file with id {0}")]
    NotFound(i64),
    #[error("the stored file {file_name} (id {id}) no longer matches its SHA-256 hash; it was altered after it was attached")]
    Tampered { id: i64, file_name: String },
}

impl From<rusqlite::Error> for FileError {
    fn from(e: rusqlite::Error) -> Self {
        FileError::Document(e.into())
    }
}

impl From<crate::db::DbError> for FileError {
    fn from(e: crate::db::DbError) -> Self {
        FileError::Document(e.into())
    }
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The media type scans usually come in, from the file name's extension.
fn media_type(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "tif" | "tiff" => "image/tiff",
        "gif" => "image/gif",
        _ => return None,
    })
}

/// Attaches `content` (a scan named `file_name`) to document `document_id`.
pub fn attach(
    db: &mut Db,
    actor: &Actor,
    document_id: i64,
    file_name: &str,
    content: &[u8],
) -> Result<DocumentFile, FileError> {
    db.write(actor, |c| attach_in(c, document_id, file_name, content))
}

/// Attaches a scan inside a larger change.
pub fn attach_in(c: &Change<'_>, document_id: i64, file_name: &str, content: &[u8]) -> Result<DocumentFile, FileError> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name).trim().to_string();
    let mut p = Problems::new();
    let media = media_type(&name);
    if media.is_none() {
        p.add("file", format!("'{name}' is not a PDF, PNG, JPEG, TIFF or GIF scan"));
    }
    if content.is_empty() {
        p.add("file", "is empty");
    }
    if content.len() > MAX_FILE_BYTES {
        p.add("file", format!("is {} MB; scans up to 25 MB are accepted", content.len() / (1024 * 1024)));
    }
    if !p.is_empty() {
        return Err(DocumentError::from(p).into());
    }
    let hash = sha256_hex(content);
    super::get(c.conn(), document_id)?;
    let existing: Option<String> = c
        .conn()
        .query_row(
            "SELECT file_name FROM document_files WHERE document_id = ?1 AND sha256 = ?2",
            params![document_id, hash],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(existing) = existing {
        return Err(DocumentError::from(Problems::one(
            "file",
            format!("the same file is already attached as {existing}"),
        ))
        .into());
    }
    c.conn().execute(
        "INSERT INTO document_files (document_id, file_name, media_type, size, sha256, content, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![document_id, name, media, content.len() as i64, hash, content, now_utc()],
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("attach", "document", Some(document_id), &format!("attached file {id} ({} bytes)", content.len()))?;
    file_info(c.conn(), id)?.ok_or(FileError::NotFound(id))
}

const FILE_COLUMNS: &str = "id, document_id, file_name, media_type, size, sha256, added_at";

fn file_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentFile> {
    Ok(DocumentFile {
        id: r.get(0)?,
        document_id: r.get(1)?,
        file_name: r.get(2)?,
        media_type: r.get(3)?,
        size: r.get(4)?,
        sha256: r.get(5)?,
        added_at: r.get(6)?,
    })
}

fn file_info(conn: &Connection, id: i64) -> rusqlite::Result<Option<DocumentFile>> {
    conn.query_row(&format!("SELECT {FILE_COLUMNS} FROM document_files WHERE id = ?1"), [id], file_from_row).optional()
}

/// The files of document `document_id`, oldest first.
pub(super) fn files_of(conn: &Connection, document_id: i64) -> rusqlite::Result<Vec<DocumentFile>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {FILE_COLUMNS} FROM document_files WHERE document_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([document_id], file_from_row)?;
    rows.collect()
}

/// File `id` and its content, after checking the content still has its recorded hash.
pub fn file_content(conn: &Connection, id: i64) -> Result<(DocumentFile, Vec<u8>), FileError> {
    let info = file_info(conn, id)?.ok_or(FileError::NotFound(id))?;
    let content: Vec<u8> = conn.query_row("SELECT content FROM document_files WHERE id = ?1", [id], |r| r.get(0))?;
    if sha256_hex(&content) != info.sha256 {
        return Err(FileError::Tampered { id, file_name: info.file_name });
    }
    Ok((info, content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn media_types_come_from_the_extension() {
        assert_eq!(media_type("scan.PDF"), Some("application/pdf"));
        assert_eq!(media_type("fax.tiff"), Some("image/tiff"));
        assert_eq!(media_type("notes.docx"), None);
        assert_eq!(media_type("noextension"), None);
    }
}
