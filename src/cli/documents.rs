//! `hmedesk documents ...`: list, show, add, update, attach scans, read a scan back, and the payer
//! documentation rules.

use super::output::{self, cell};
use super::{read_named, Context, Failure};
use crate::documents::{self, Document, DocumentFilter, DocumentInput, DocumentationRule, RuleInput};
use crate::validation::{overlay, today};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List documents, newest first
    List {
        #[arg(long)]
        patient: Option<i64>,
        #[arg(long)]
        order: Option<i64>,
        /// Only those expiring or due for recertification within this many days
        #[arg(long)]
        expiring_days: Option<u64>,
    },
    /// Show one document with its answers and files
    Show { id: i64 },
    /// Add a document
    Add(#[command(flatten)] Box<DocumentInput>),
    /// Change the given fields of a document (its files stay attached)
    Update {
        id: i64,
        #[command(flatten)]
        input: Box<DocumentInput>,
    },
    /// Attach a scanned file (PDF, PNG, JPEG, TIFF, GIF) to a document
    Attach { id: i64, file: PathBuf },
    /// Write an attached file out, after checking its SHA-256 hash
    File {
        file_id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Payer documentation rules
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule (Medicare's are built in)
    List,
    /// Add a payer's own rule
    Add(#[command(flatten)] Box<RuleInput>),
}

fn document_rows(list: &[Document]) -> Vec<Vec<String>> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut rows = vec![["ID", "PATIENT", "ORDER", "TYPE", "FORM", "HCPCS", "INITIAL", "RECERT", "EXPIRES", "FILES"]
        .map(String::from)
        .to_vec()];
    rows.extend(list.iter().map(|d| {
        vec![
            d.id.to_string(),
            d.patient_name.clone(),
            d.order_id.map(|o| o.to_string()).unwrap_or_default(),
            d.doc_type.code().to_string(),
            d.form.map(|f| f.code().to_string()).unwrap_or_default(),
            d.hcpcs.join(" "),
            d.initial_date.to_string(),
            date(d.recert_due),
            date(d.expires),
            d.files.len().to_string(),
        ]
    }));
    rows
}

fn rule_rows(list: &[DocumentationRule]) -> Vec<Vec<String>> {
    let mut rows = vec![["ID", "PAYER", "ITEMS", "DOCUMENT", "BLOCKS", "EFFECTIVE", "TERMINATION", "SOURCE"]
        .map(String::from)
        .to_vec()];
    rows.extend(list.iter().map(|r| {
        let payer = r
            .payer_id
            .map_or_else(|| r.payer_kind.map(|k| k.code().to_string()).unwrap_or_default(), |p| p.to_string());
        let items = match (&r.hcpcs_from, &r.hcpcs_to, r.category) {
            (Some(f), Some(t), _) if f == t => f.clone(),
            (Some(f), Some(t), _) => format!("{f}-{t}"),
            (_, _, Some(c)) => format!("category {}", c.code()),
            _ => "all".into(),
        };
        let doc =
            r.form.map_or(r.document_type.code().to_string(), |f| format!("{} {}", r.document_type.code(), f.code()));
        vec![
            r.id.to_string(),
            payer,
            items,
            doc,
            r.blocks.code().to_string(),
            r.effective.to_string(),
            r.termination.map(|t| t.to_string()).unwrap_or_default(),
            r.source.clone(),
        ]
    }));
    rows
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    let document = match command {
        Command::List { patient, order, expiring_days } => {
            let list = match expiring_days {
                Some(days) => documents::expiring(ctx.db.conn(), today(), today() + chrono::Days::new(days))?
                    .into_iter()
                    .filter(|d| {
                        patient.is_none_or(|p| d.patient_id == p) && order.is_none_or(|o| d.order_id == Some(o))
                    })
                    .collect(),
                None => documents::list(ctx.db.conn(), DocumentFilter { patient_id: patient, order_id: order })?,
            };
            return output::print(ctx, &list, |l| document_rows(l));
        }
        Command::Show { id } => documents::get(ctx.db.conn(), id)?,
        Command::Add(input) => documents::add(&mut ctx.db, &ctx.actor, &input)?,
        Command::Update { id, input } => {
            let current = documents::form(ctx.db.conn(), id)?;
            documents::update(&mut ctx.db, &ctx.actor, id, &overlay(&current, &input))?
        }
        Command::Attach { id, file } => {
            let (content, name) = read_named(&file)?;
            let attached = documents::attach(&mut ctx.db, &ctx.actor, id, &name, &content)?;
            return output::print(ctx, &attached, |f| {
                vec![vec![format!(
                    "attached {} ({} bytes, SHA-256 {}) as file {}",
                    f.file_name, f.size, f.sha256, f.id
                )]]
            });
        }
        Command::File { file_id, out } => {
            let (info, content) = documents::file_content(ctx.db.conn(), file_id)?;
            std::fs::write(&out, content).map_err(|e| Failure(format!("cannot write {}: {e}", out.display())))?;
            output::message(ctx, &format!("wrote {} to {} (hash verified)", info.file_name, out.display()));
            return Ok(());
        }
        Command::Rules(RulesCommand::List) => {
            let rules = documents::list_rules(ctx.db.conn())?;
            return output::print(ctx, &rules, |r| rule_rows(r));
        }
        Command::Rules(RulesCommand::Add(input)) => {
            let rule = documents::add_rule(&mut ctx.db, &ctx.actor, &input)?;
            return output::print(ctx, &rule, |r| rule_rows(std::slice::from_ref(r)));
        }
    };
    output::print(ctx, &document, detail_rows)
}

fn detail_rows(d: &Document) -> Vec<Vec<String>> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = [
        ("Document", d.id.to_string()),
        ("Patient", format!("{} (id {})", d.patient_name, d.patient_id)),
        ("Order", d.order_id.map(|o| o.to_string()).unwrap_or_default()),
        ("Type", d.form.map_or(d.doc_type.code().to_string(), |f| format!("{} {}", d.doc_type.code(), f.code()))),
        ("HCPCS", d.hcpcs.join(" ")),
        ("Initial", d.initial_date.to_string()),
        ("Revised", date(d.revised_date)),
        ("Recert due", date(d.recert_due)),
        ("Expires", date(d.expires)),
        ("Length of need", d.length_of_need_months.map(|m| format!("{m} months")).unwrap_or_default()),
        ("Answers", d.answers.to_string()),
        ("Notes", cell(&d.notes)),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect();
    if let Some(pa) = &d.pa_number {
        rows.push(vec![
            "Prior auth".into(),
            format!("{pa}, {} units, {} to {}", d.pa_units.unwrap_or(0), date(d.pa_from), date(d.pa_to)),
        ]);
    }
    rows.extend(
        d.files
            .iter()
            .map(|f| vec![format!("File {}", f.id), format!("{} {} bytes SHA-256 {}", f.file_name, f.size, f.sha256)]),
    );
    rows
}
