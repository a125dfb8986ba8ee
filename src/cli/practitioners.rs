//! `hmedesk practitioners ...`

use super::{output, Context, Failure};
use crate::practitioners::{self, Practitioner, PractitionerInput};
use crate::validation::overlay;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List practitioners, optionally matching a name or NPI
    List {
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Show one practitioner
    Show { id: i64 },
    /// Add a practitioner
    Add(PractitionerInput),
    /// Change the given fields of a practitioner (an empty value clears a field)
    Update {
        id: i64,
        #[command(flatten)]
        input: PractitionerInput,
    },
}

fn rows(list: &[Practitioner]) -> Vec<Vec<String>> {
    let mut rows = vec![vec!["ID".into(), "NPI".into(), "NAME".into(), "PECOS".into(), "PHONE".into()]];
    rows.extend(list.iter().map(|p| {
        vec![p.id.to_string(), p.npi.clone(), p.display_name(), if p.pecos_enrolled { "yes" } else { "no" }.into(), output::cell(&p.phone)]
    }));
    rows
}

pub fn run(ctx: &mut Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::List { search } => {
            let list = practitioners::list(ctx.db.conn(), &search)?;
            output::print(ctx, &list, |l| rows(l))
        }
        Command::Show { id } => {
            let p = practitioners::get(ctx.db.conn(), id)?;
            output::print(ctx, &p, |p| rows(std::slice::from_ref(p)))
        }
        Command::Add(input) => {
            let p = practitioners::add(&mut ctx.db, &ctx.actor, &input)?;
            output::print(ctx, &p, |p| rows(std::slice::from_ref(p)))
        }
        Command::Update { id, input } => {
            let current = practitioners::get(ctx.db.conn(), id)?.to_input();
            let p = practitioners::update(&mut ctx.db, &ctx.actor, id, &overlay(&current, &input))?;
            output::print(ctx, &p, |p| rows(std::slice::from_ref(p)))
        }
    }
}
