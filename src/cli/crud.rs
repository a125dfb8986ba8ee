//! The list/show/add/update commands every intake record shares, written once.

use super::{output, Context, Failure};
use crate::db::{Actor, Db};
use crate::validation::overlay;
use clap::{Args, Subcommand};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The four commands, over a record's input form `I`.
#[derive(Debug, Subcommand)]
pub enum Crud<I: Args> {
    /// List records, optionally matching a search text
    List {
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Show one record
    Show { id: i64 },
    /// Add a record
    Add(#[command(flatten)] I),
    /// Change the given fields of a record (an empty value clears a field)
    Update {
        id: i64,
        #[command(flatten)]
        input: I,
    },
}

/// How the CLI reaches one kind of record in the core.
pub trait Entity {
    type Input: Args + Serialize + DeserializeOwned + Clone;
    type Record: Serialize;
    type Listed: Serialize;
    fn list(conn: &Connection, search: &str) -> Result<Vec<Self::Listed>, Failure>;
    fn get(conn: &Connection, id: i64) -> Result<Self::Record, Failure>;
    fn add(db: &mut Db, actor: &Actor, input: &Self::Input) -> Result<Self::Record, Failure>;
    fn update(db: &mut Db, actor: &Actor, id: i64, input: &Self::Input) -> Result<Self::Record, Failure>;
    fn to_input(record: &Self::Record) -> Self::Input;
    /// Column titles of the table.
    fn header() -> Vec<&'static str>;
    fn row(record: &Self::Record) -> Vec<String>;
    fn listed_row(item: &Self::Listed) -> Vec<String>;
}

fn table<T>(header: Vec<&'static str>, items: &[T], row: impl Fn(&T) -> Vec<String>) -> Vec<Vec<String>> {
    std::iter::once(header.into_iter().map(String::from).collect()).chain(items.iter().map(row)).collect()
}

/// Runs one of the four commands for entity `E`.
pub fn run<E: Entity>(ctx: &mut Context, command: Crud<E::Input>) -> Result<(), Failure> {
    let record = match command {
        Crud::List { search } => {
            let items = E::list(ctx.db.conn(), &search)?;
            return output::print(ctx, &items, |items| table(E::header(), items, E::listed_row));
        }
        Crud::Show { id } => E::get(ctx.db.conn(), id)?,
        Crud::Add(input) => E::add(&mut ctx.db, &ctx.actor, &input)?,
        Crud::Update { id, input } => {
            let current = E::to_input(&E::get(ctx.db.conn(), id)?);
            E::update(&mut ctx.db, &ctx.actor, id, &overlay(&current, &input))?
        }
    };
    output::print(ctx, &record, |r| table(E::header(), std::slice::from_ref(r), E::row))
}
