//! The Claim.MD transport: the clearinghouse's HTTP API (docs.claim.md), every call a form
//! POST under the base URL carrying the `AccountKey`, answers asked for as JSON.
//!
//! * `upload/` — a claim file, as multipart `File`; the answer carries its `fileid`. The
//!   file goes up named `<idempotency key>-<file name>`, so `uploadlist/` shows whether an
//!   interrupted upload arrived (`find_upload`); the key also travels as an
//!   `Idempotency-Key` header.
//! * `response/` — claim responses after `ResponseID` (saved as cursor `response_id`); each
//!   non-empty answer is stored as one inbox file and imported by [`import_responses`],
//!   which marks batches acknowledged or rejected.
//! * `eralist/` after `ERAID` (cursor `era_id`), then `era835/` per `eraid`: the 835s.
//! * `elig/` — a 270 file, answered at once with its 271 (real-time eligibility).
//!
//! Failure classes: no connection or a timeout → offline; 5xx, 429 or a connection dropped
//! mid-answer → retryable; 401/403 or an answer naming the account key → setup; any other
//! 4xx or an `error` answer to an upload → the file is rejected.

use super::outbox::{self, OutboxState};
use super::transport::{Cursors, Offered, Receipt, Transport, TransportError, Upload};
use crate::db::Change;
use reqwest::blocking::{multipart, Client, RequestBuilder};
use serde_json::Value;
use std::time::Duration;

/// Claim.MD's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://svc.claim.md/services";
/// Cursor name of the last ResponseID read.
pub const RESPONSE_CURSOR: &str = "response_id";
/// Cursor name of the last ERAID read.
pub const ERA_CURSOR: &str = "era_id";

/// A Claim.MD account reached over HTTPS.
pub struct ClaimMdTransport {
    client: Client,
    base: String,
    key: String,
}

impl ClaimMdTransport {
    /// A transport for the account `key` at `base` (no trailing slash), giving up on a
    /// request after `timeout`.
    pub fn new(base: &str, key: &str, timeout: Duration) -> Result<ClaimMdTransport, TransportError> {
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| TransportError::Setup(format!("cannot start the HTTP client: {e}")))?;
        Ok(ClaimMdTransport { client, base: base.trim_end_matches('/').to_string(), key: key.to_string() })
    }

    fn post(&self, endpoint: &str) -> RequestBuilder {
        self.client.post(format!("{}/{endpoint}/", self.base)).header("Accept", "application/json")
    }

    fn form(&self, endpoint: &str, fields: &[(&str, &str)]) -> Result<Vec<u8>, TransportError> {
        let mut form = vec![("AccountKey", self.key.as_str())];
        form.extend_from_slice(fields);
        send(self.post(endpoint).form(&form))
    }

    fn json(&self, endpoint: &str, fields: &[(&str, &str)]) -> Result<Value, TransportError> {
        let body = self.form(endpoint, fields)?;
        let value = parse(&body)?;
        match error_message(&value) {
            Some(message) => Err(refusal(message)),
            None => Ok(value),
        }
    }
}

/// Sends a request and classifies what went wrong.
fn send(request: RequestBuilder) -> Result<Vec<u8>, TransportError> {
    let response = request.send().map_err(|e| {
        if e.is_connect() || e.is_timeout() {
            TransportError::Offline(e.to_string())
        } else {
            TransportError::Retryable(e.to_string())
        }
    })?;
    let status = response.status();
    let body = response.bytes().map_err(|e| TransportError::Retryable(format!("the answer was cut off: {e}")))?;
    let text = || String::from_utf8_lossy(&body).chars().take(200).collect::<String>();
    match status.as_u16() {
        200..=299 => Ok(body.to_vec()),
        401 | 403 => Err(TransportError::Setup(format!("Claim.MD refused the account key ({status})"))),
        408 | 429 | 500..=599 => Err(TransportError::Retryable(format!("Claim.MD answered {status}: {}", text()))),
        _ => Err(TransportError::Rejected(format!("Claim.MD answered {status}: {}", text()))),
    }
}

fn parse(body: &[u8]) -> Result<Value, TransportError> {
    serde_json::from_slice(body)
        .map_err(|e| TransportError::Retryable(format!("Claim.MD's answer is not the JSON expected: {e}")))
}

/// The message of an `{"error": ...}` answer.
fn error_message(value: &Value) -> Option<String> {
    let error = value.get("error")?;
    Some(match error {
        Value::String(s) => s.clone(),
        other => other
            .get("error_mesg")
            .or_else(|| other.get("message"))
            .and_then(Value::as_str)
            .map_or_else(|| other.to_string(), str::to_string),
    })
}

fn refusal(message: String) -> TransportError {
    if message.to_ascii_lowercase().contains("accountkey") || message.to_ascii_lowercase().contains("account key") {
        TransportError::Setup(message)
    } else {
        TransportError::Rejected(message)
    }
}

/// A JSON number or numeric string as text.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The items of a list that Claim.MD sends as an array, or as one object when there is one.
fn items(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    }
}

fn remote_name(upload: &Upload<'_>) -> String {
    format!("{}-{}", upload.idempotency_key, upload.file_name)
}

impl Transport for ClaimMdTransport {
    fn name(&self) -> &'static str {
        "claimmd"
    }

    fn upload(&mut self, upload: &Upload<'_>) -> Result<Receipt, TransportError> {
        let name = remote_name(upload);
        let file = multipart::Part::bytes(upload.content.to_vec()).file_name(name.clone());
        let form =
            multipart::Form::new().text("AccountKey", self.key.clone()).text("Filename", name).part("File", file);
        let body = send(self.post("upload").header("Idempotency-Key", upload.idempotency_key).multipart(form))?;
        let value = parse(&body)?;
        if let Some(message) = error_message(&value) {
            return Err(refusal(message));
        }
        Ok(Receipt { remote_id: text(value.get("fileid")) })
    }

    fn find_upload(&mut self, upload: &Upload<'_>) -> Result<Option<Receipt>, TransportError> {
        let name = remote_name(upload);
        let value = self.json("uploadlist", &[])?;
        Ok(items(value.get("file"))
            .into_iter()
            .find(|f| f.get("filename").and_then(Value::as_str) == Some(name.as_str()))
            .map(|f| Receipt { remote_id: text(f.get("fileid")) }))
    }

    fn list_incoming(&mut self, cursors: &Cursors) -> Result<Vec<Offered>, TransportError> {
        let mut offered = Vec::new();
        let last_response = cursors.get(RESPONSE_CURSOR).map_or("0", String::as_str);
        let responses = self.json("response", &[("ResponseID", last_response)])?;
        if let Some(last) = text(responses.get("last_responseid")).filter(|l| l != last_response) {
            offered.push(Offered {
                remote_id: format!("response-{last}"),
                file_name: format!("claimmd-responses-{last}.json"),
                cursor: Some((RESPONSE_CURSOR.into(), last)),
                content: Some(serde_json::to_vec(&responses).unwrap_or_default()),
            });
        }
        let last_era = cursors.get(ERA_CURSOR).map_or("0", String::as_str);
        let eras = self.json("eralist", &[("ERAID", last_era), ("NewOnly", "0")])?;
        for era in items(eras.get("era")) {
            let Some(id) = text(era.get("eraid")) else { continue };
            offered.push(Offered {
                remote_id: id.clone(),
                file_name: format!("era-{id}.835"),
                cursor: Some((ERA_CURSOR.into(), id)),
                content: None,
            });
        }
        Ok(offered)
    }

    fn download(&mut self, offered: &Offered) -> Result<Vec<u8>, TransportError> {
        let body = self.form("era835", &[("eraid", &offered.remote_id)])?;
        if !body.trim_ascii_start().starts_with(b"{") {
            return Ok(body);
        }
        let value = parse(&body)?;
        if let Some(message) = error_message(&value) {
            return Err(refusal(message));
        }
        text(value.get("data"))
            .map(String::into_bytes)
            .ok_or_else(|| TransportError::Retryable(format!("ERA {} came without its 835 data", offered.remote_id)))
    }

    fn eligibility(&mut self, request: &[u8]) -> Result<Option<Vec<u8>>, TransportError> {
        let file = multipart::Part::bytes(request.to_vec()).file_name("eligibility.270");
        let form = multipart::Form::new().text("AccountKey", self.key.clone()).part("File", file);
        let body = send(self.post("elig").multipart(form))?;
        if body.trim_ascii_start().starts_with(b"ISA") {
            return Ok(Some(body));
        }
        let value = parse(&body)?;
        if let Some(message) = error_message(&value) {
            return Err(refusal(message));
        }
        text(value.get("data"))
            .map(|data| Some(data.into_bytes()))
            .ok_or_else(|| TransportError::Retryable("Claim.MD's eligibility answer holds no 271".into()))
    }

    fn settle(&mut self, _offered: &Offered) -> Result<(), TransportError> {
        Ok(())
    }
}

/// The importer of a stored Claim.MD response list: each response names the file it is
/// about (`fileid`) and a status (`A` accepted, `R` rejected); the batch is acknowledged
/// when all its responses accept it, rejected (with the messages) when any rejects it.
/// Responses about files not sent from here are counted and left alone.
pub fn import_responses(c: &Change<'_>, bytes: &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let value: Value = serde_json::from_slice(bytes)?;
    let (mut accepted, mut rejected, mut unknown) = (0, 0, 0);
    for claim in items(value.get("claim")) {
        let Some(file_id) = text(claim.get("fileid")) else {
            unknown += 1;
            continue;
        };
        let Some(item) = outbox::by_remote_id(c.conn(), &file_id)? else {
            unknown += 1;
            continue;
        };
        let status = claim.get("status").and_then(Value::as_str).unwrap_or_default();
        if status.eq_ignore_ascii_case("R") {
            let messages: Vec<String> = items(claim.get("messages"))
                .into_iter()
                .filter_map(|m| m.get("message").and_then(Value::as_str).map(str::to_string))
                .collect();
            let reason = if messages.is_empty() { "rejected by Claim.MD".to_string() } else { messages.join("; ") };
            outbox::mark_verdict(c, item.id, false, Some(&reason))?;
            rejected += 1;
        } else if status.eq_ignore_ascii_case("A") {
            if item.state == OutboxState::Sent {
                outbox::mark_verdict(c, item.id, true, None)?;
            }
            accepted += 1;
        } else {
            unknown += 1;
        }
    }
    Ok(format!("{accepted} accepted, {rejected} rejected, {unknown} not about a file sent from here"))
}
