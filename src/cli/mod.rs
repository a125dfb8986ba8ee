//! The `hmedesk` command line: parses arguments, opens the database, calls one core function
//! per command and prints the result (a table for people, `--json` for programs).
//!
//! Contract: exit 0 on success; 1 on a data or user error, with one line on stderr naming the
//! field and the problem; 2 on a usage error. Nothing here decides a business rule.

mod output;
mod practitioners;
mod x12;

use crate::db::{self, Actor, Db};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// HME Desk: intake, inventory, orders, billing and remittance for HME/DME suppliers.
#[derive(Debug, Parser)]
#[command(name = "hmedesk", version, about)]
pub struct Cli {
    /// The database file (default: the per-user data folder the desktop app uses)
    #[arg(long, global = true, env = "HMEDESK_DB")]
    db: Option<PathBuf>,
    /// Who is making changes, for the audit log (default: the operating-system user)
    #[arg(long, global = true, env = "HMEDESK_USER")]
    user: Option<String>,
    /// Print machine-readable JSON instead of a table
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the database, or upgrade an older one
    Init,
    /// Ordering and treating practitioners
    #[command(subcommand)]
    Practitioners(practitioners::Command),
    /// X12 files (835, 999, 277CA, 271) on their own, without the database
    #[command(subcommand)]
    X12(x12::Command),
}

/// What a command needs: the open database, who is acting, how to print.
pub struct Context {
    pub db: Db,
    pub actor: Actor,
    pub json: bool,
}

/// A failed command: the one line printed on stderr.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

/// Runs the CLI with `args` (the program name first) and returns the process exit code.
pub fn run<I: IntoIterator<Item = T>, T: Into<OsString> + Clone>(args: I) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match execute(cli) {
        Ok(()) => 0,
        Err(Failure(message)) => {
            eprintln!("error: {}", message.replace('\n', " "));
            1
        }
    }
}

fn execute(cli: Cli) -> Result<(), Failure> {
    let open = || -> Result<(Context, PathBuf), Failure> {
        let path = cli.db.clone().unwrap_or_else(db::default_path);
        let db = Db::open(&path)?;
        let actor = cli.user.clone().map(Actor::new).unwrap_or_else(Actor::os_user);
        Ok((Context { db, actor, json: cli.json }, path))
    };
    match cli.command {
        Command::Init => {
            let (ctx, path) = open()?;
            output::message(&ctx, &format!("database ready at {} (schema {})", path.display(), db::latest_version()));
            Ok(())
        }
        Command::Practitioners(c) => practitioners::run(&mut open()?.0, c),
        Command::X12(c) => x12::run(c, cli.json),
    }
}
