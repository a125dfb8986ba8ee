//! Document queries: add, correct, get, list, and the documents expiring or due for
//! recertification.

use super::files::files_of;
use super::{validate, DocType, Document, DocumentError, DocumentInput, Form};
use crate::db::{Actor, Change, Db, DbError};
use crate::validation::Problems;
use chrono::NaiveDate;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, ToSql};

const SELECT: &str =
    "SELECT d.id, d.patient_id, p.last_name || ', ' || p.first_name, d.order_id, d.type, d.form, d.hcpcs,
        d.initial_date, d.revised_date, d.recert_due, d.expires, d.length_of_need_months, d.pa_number, d.pa_units,
        d.pa_from, d.pa_to, d.answers, d.notes
    FROM documents d JOIN patients p ON p.id = d.patient_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Document> {
    let doc_type: String = r.get(4)?;
    let form: Option<String> = r.get(5)?;
    let hcpcs: String = r.get(6)?;
    let answers: String = r.get(16)?;
    Ok(Document {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        patient_name: r.get(2)?,
        order_id: r.get(3)?,
        doc_type: DocType::from_code(&doc_type).unwrap_or(DocType::Other),
        form: form.as_deref().and_then(Form::from_code),
        hcpcs: hcpcs.split(':').filter(|c| !c.is_empty()).map(str::to_string).collect(),
        initial_date: r.get(7)?,
        revised_date: r.get(8)?,
        recert_due: r.get(9)?,
        expires: r.get(10)?,
        length_of_need_months: r.get(11)?,
        pa_number: r.get(12)?,
        pa_units: r.get(13)?,
        pa_from: r.get(14)?,
        pa_to: r.get(15)?,
        answers: serde_json::from_str(&answers).unwrap_or_default(),
        notes: r.get(17)?,
        files: Vec::new(),
    })
}

fn with_files(conn: &Connection, mut d: Document) -> Result<Document, DocumentError> {
    d.files = files_of(conn, d.id)?;
    Ok(d)
}

/// The document with `id`, with its files (without their content).
pub fn get(conn: &Connection, id: i64) -> Result<Document, DocumentError> {
    let d = conn
        .query_row(&format!("{SELECT} WHERE d.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(DocumentError::NotFound(id))?;
    with_files(conn, d)
}

/// Which documents a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    pub patient_id: Option<i64>,
    pub order_id: Option<i64>,
}

/// Documents matching `filter`, newest first.
pub fn list(conn: &Connection, filter: DocumentFilter) -> Result<Vec<Document>, DocumentError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR d.patient_id = ?1) AND (?2 IS NULL OR d.order_id = ?2)
         ORDER BY d.initial_date DESC, d.id DESC"
    ))?;
    let docs: Vec<Document> =
        stmt.query_map(params![filter.patient_id, filter.order_id], from_row)?.collect::<Result<_, _>>()?;
    docs.into_iter().map(|d| with_files(conn, d)).collect()
}

/// Documents whose patient name, type, form, HCPCS codes or prior authorization number
/// contain `text` (every document when it is blank), newest first: the documents screen's search.
pub fn search(conn: &Connection, text: &str) -> Result<Vec<Document>, DocumentError> {
    let pattern = crate::db::like_contains(text);
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (p.last_name || ', ' || p.first_name) LIKE ?1 ESCAPE '\\' OR d.type LIKE ?1 ESCAPE '\\'
            OR d.form LIKE ?1 ESCAPE '\\' OR d.hcpcs LIKE ?1 ESCAPE '\\' OR d.pa_number LIKE ?1 ESCAPE '\\'
         ORDER BY d.initial_date DESC, d.id DESC"
    ))?;
    let docs: Vec<Document> = stmt.query_map([pattern], from_row)?.collect::<Result<_, _>>()?;
    docs.into_iter().map(|d| with_files(conn, d)).collect()
}

/// Documents that expire or are due for recertification from `today` through `until`,
/// soonest first.
pub fn expiring(conn: &Connection, today: NaiveDate, until: NaiveDate) -> Result<Vec<Document>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE d.expires BETWEEN ?1 AND ?2 OR d.recert_due BETWEEN ?1 AND ?2
         ORDER BY MIN(COALESCE(d.expires, '9999-12-31'), COALESCE(d.recert_due, '9999-12-31')), d.id"
    ))?;
    let docs: Vec<Document> = stmt.query_map(params![today, until], from_row)?.collect::<Result<_, _>>()?;
    Ok(docs)
}

/// Saves a new document.
pub fn add(db: &mut Db, actor: &Actor, input: &DocumentInput) -> Result<Document, DocumentError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new document inside a larger change.
pub fn create(c: &Change<'_>, input: &DocumentInput) -> Result<Document, DocumentError> {
    let d = validate(input)?;
    let conn = c.conn();
    check_links(conn, &d)?;
    let placeholders: Vec<String> = (1..=params_of(&d).len()).map(|i| format!("?{i}")).collect();
    conn.execute(
        &format!("INSERT INTO documents ({COLUMNS}) VALUES ({})", placeholders.join(", ")),
        params_from_iter(params_of(&d)),
    )?;
    let id = conn.last_insert_rowid();
    c.audit("create", "document", Some(id), &format!("added {} for patient {}", what(&d), d.patient_id))?;
    get(conn, id)
}

/// Saves the corrected fields of document `id` (its attached files stay).
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &DocumentInput) -> Result<Document, DocumentError> {
    db.write(actor, |c| {
        get(c.conn(), id)?;
        let d = validate(input)?;
        check_links(c.conn(), &d)?;
        let assignments: Vec<String> =
            COLUMNS.split(", ").enumerate().map(|(i, column)| format!("{column} = ?{}", i + 1)).collect();
        let mut values = params_of(&d);
        values.push(Box::new(id));
        c.conn().execute(
            &format!("UPDATE documents SET {} WHERE id = ?{}", assignments.join(", "), values.len()),
            params_from_iter(values),
        )?;
        c.audit("update", "document", Some(id), &format!("corrected {} for patient {}", what(&d), d.patient_id))?;
        get(c.conn(), id)
    })
}

/// Document `id` as the form shows it, to be corrected and saved with [`update`].
pub fn form(conn: &Connection, id: i64) -> Result<DocumentInput, DocumentError> {
    let d = get(conn, id)?;
    let text = |v: Option<String>| v.filter(|s| !s.is_empty());
    let date = |v: Option<NaiveDate>| v.map(|d| d.to_string());
    let answers = d.answers.as_object().filter(|a| !a.is_empty()).map(|_| d.answers.to_string());
    Ok(DocumentInput {
        patient_id: Some(d.patient_id.to_string()),
        order_id: d.order_id.map(|o| o.to_string()),
        doc_type: Some(d.doc_type.code().to_string()),
        form: d.form.map(|f| f.code().to_string()),
        hcpcs: text(Some(d.hcpcs.join(", "))),
        initial_date: Some(d.initial_date.to_string()),
        revised_date: date(d.revised_date),
        recert_due: date(d.recert_due),
        expires: date(d.expires),
        length_of_need_months: d.length_of_need_months.map(|m| m.to_string()),
        pa_number: d.pa_number,
        pa_units: d.pa_units.map(|u| u.to_string()),
        pa_from: date(d.pa_from),
        pa_to: date(d.pa_to),
        answers,
        notes: d.notes,
    })
}

/// The columns a document's fields are written to, in [`params_of`] order.
const COLUMNS: &str = "patient_id, order_id, type, form, hcpcs, initial_date, revised_date, recert_due, expires, \
    length_of_need_months, pa_number, pa_units, pa_from, pa_to, answers, notes";

fn params_of(d: &Document) -> Vec<Box<dyn ToSql + '_>> {
    vec![
        Box::new(d.patient_id),
        Box::new(d.order_id),
        Box::new(d.doc_type.code()),
        Box::new(d.form.map(Form::code)),
        Box::new(d.hcpcs.join(":")),
        Box::new(d.initial_date),
        Box::new(d.revised_date),
        Box::new(d.recert_due),
        Box::new(d.expires),
        Box::new(d.length_of_need_months),
        Box::new(d.pa_number.as_deref()),
        Box::new(d.pa_units),
        Box::new(d.pa_from),
        Box::new(d.pa_to),
        Box::new(d.answers.to_string()),
        Box::new(d.notes.as_deref()),
    ]
}

/// The document's patient exists and its order, if any, is that patient's.
fn check_links(conn: &Connection, d: &Document) -> Result<(), DocumentError> {
    let mut p = Problems::new();
    let patient: bool =
        conn.query_row("SELECT EXISTS(SELECT 1 FROM patients WHERE id = ?1)", [d.patient_id], |r| r.get(0))?;
    if !patient {
        p.add("patient_id", format!("there is no patient with id {}", d.patient_id));
    }
    if let Some(order_id) = d.order_id {
        let owner: Option<i64> =
            conn.query_row("SELECT patient_id FROM orders WHERE id = ?1", [order_id], |r| r.get(0)).optional()?;
        match owner {
            None => p.add("order_id", format!("there is no order with id {order_id}")),
            Some(owner) if owner != d.patient_id => {
                p.add("order_id", format!("order {order_id} belongs to another patient"))
            }
            Some(_) => {}
        }
    }
    Ok(p.finish(())?)
}

/// The document's kind in words for the audit log, with its form.
fn what(d: &Document) -> String {
    d.form.map_or(d.doc_type.label().to_string(), |f| format!("{} {}", d.doc_type.label(), f.code()))
}
