//! `hmedesk print ...`: writes printable PDFs (CMN forms, delivery tickets, CMS-1500 claims) to a file.

use super::{output, Context, Failure};
use crate::print::{cmn, cms1500, ticket, Cms1500Variant};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// A CMN/DIF form (CMS-484 in its sections A–D; a general form for other items), filled from a document
    Cmn {
        document_id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// A delivery ticket (letter size); once signed, with the signature embedded
    DeliveryTicket {
        delivery_id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// A claim on the CMS-1500 (02/12): values only, for the red pre-printed form, or with the form drawn (--form)
    Cms1500 {
        claim_id: i64,
        #[arg(long)]
        out: PathBuf,
        /// Draw the form's boxes and labels too, for plain paper
        #[arg(long)]
        form: bool,
    },
}

fn write(ctx: &Context, out: &Path, pdf: &[u8]) -> Result<(), Failure> {
    std::fs::write(out, pdf).map_err(|e| Failure(format!("cannot write {}: {e}", out.display())))?;
    output::message(ctx, &format!("wrote {} ({} bytes)", out.display(), pdf.len()));
    Ok(())
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::Cmn { document_id, out } => write(ctx, &out, &cmn::print(ctx.db.conn(), document_id)?),
        Command::DeliveryTicket { delivery_id, out } => write(ctx, &out, &ticket::print(ctx.db.conn(), delivery_id)?),
        Command::Cms1500 { claim_id, out, form } => {
            let variant = if form { Cms1500Variant::Form } else { Cms1500Variant::Data };
            write(ctx, &out, &cms1500(ctx.db.conn(), claim_id, variant)?)
        }
    }
}
