//! `hmedesk sync ...` and `hmedesk settings ...`: clearinghouse sync passes, the outbox and
//! inbox, and the settings that configure them.

use super::{output, read_named, Context, Failure};
use crate::settings;
use crate::sync::{self, credentials, inbox, outbox, OutboxKind};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Run one sync pass now: upload what is due, fetch and import what is waiting
    #[arg(long)]
    once: bool,
    #[command(subcommand)]
    command: Option<SyncCommand>,
}

#[derive(Debug, Subcommand)]
enum SyncCommand {
    /// Queue a file for sending (what `claims batch` does for its 837P files)
    Enqueue {
        file: PathBuf,
        /// What the file is: 837p or 270
        #[arg(long, value_parser = parse_kind)]
        kind: OutboxKind,
    },
    /// Files to send and their state
    Outbox,
    /// Files fetched and their state
    Inbox,
    /// Send a queued file at the next pass, ignoring its backoff
    SendNow { id: i64 },
    /// Save the Claim.MD account key (read from standard input) in the OS keychain
    SetKey,
}

fn parse_kind(text: &str) -> Result<OutboxKind, String> {
    OutboxKind::from_code(text).ok_or_else(|| "must be 837p or 270".to_string())
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Change a setting (sync.transport, sync.outgoing_dir, sync.incoming_dir, sync.base_url, ...)
    Set { key: String, value: String },
    /// Show one setting
    Get { key: String },
    /// Show every setting that can be changed
    List,
}

pub fn run(ctx: &mut Context, args: SyncArgs) -> Result<(), Failure> {
    match (args.once, args.command) {
        (true, None) => {
            let report = sync::sync_once(&mut ctx.db, &ctx.actor)?;
            output::print(ctx, &report, |r| {
                let mut rows = vec![
                    vec!["transport".into(), r.transport.clone()],
                    vec!["online".into(), if r.online { "yes" } else { "no" }.into()],
                    vec!["uploaded".into(), r.uploaded.to_string()],
                    vec!["downloaded".into(), r.downloaded.to_string()],
                    vec!["imported".into(), r.imported.to_string()],
                    vec!["failed".into(), r.failed.to_string()],
                    vec!["pending".into(), r.pending.to_string()],
                ];
                rows.extend(r.errors.iter().map(|e| vec!["error".into(), e.clone()]));
                rows
            })
        }
        (true, Some(_)) => Err(Failure("--once runs a pass on its own; give it without a subcommand".into())),
        (false, None) => {
            Err(Failure("say what to do: hmedesk sync --once, or hmedesk sync outbox|inbox|enqueue".into()))
        }
        (false, Some(command)) => run_command(ctx, command),
    }
}

fn run_command(ctx: &mut Context, command: SyncCommand) -> Result<(), Failure> {
    match command {
        SyncCommand::Enqueue { file, kind } => {
            let (bytes, name) = read_named(&file)?;
            let id = ctx.db.write(&ctx.actor, |c| outbox::enqueue(c, kind, &name, &bytes))?;
            let item = outbox::get(ctx.db.conn(), id)?;
            output::print(ctx, &item, |i| vec![vec![format!("outbox item {} {} is {}", i.id, i.file_name, i.state)]])
        }
        SyncCommand::Outbox => {
            let items = outbox::list(ctx.db.conn())?;
            output::print(ctx, &items, |list| {
                list.iter()
                    .map(|i| {
                        vec![
                            i.id.to_string(),
                            i.kind.to_string(),
                            i.file_name.clone(),
                            i.state.to_string(),
                            format!("{} tries", i.attempts),
                            output::cell(&i.last_error),
                        ]
                    })
                    .collect()
            })
        }
        SyncCommand::Inbox => {
            let items = inbox::list(ctx.db.conn())?;
            output::print(ctx, &items, |list| {
                list.iter()
                    .map(|i| {
                        vec![
                            i.id.to_string(),
                            i.transaction_set.clone(),
                            i.file_name.clone(),
                            i.state.to_string(),
                            output::cell(&i.summary),
                            output::cell(&i.error),
                        ]
                    })
                    .collect()
            })
        }
        SyncCommand::SetKey => {
            let mut key = String::new();
            std::io::stdin().read_line(&mut key)?;
            credentials::store_claimmd_key(&key)?;
            output::message(ctx, "the Claim.MD account key is saved in the keychain");
            Ok(())
        }
        SyncCommand::SendNow { id } => {
            let item = outbox::send_now(&mut ctx.db, &ctx.actor, id)?;
            output::print(ctx, &item, |i| vec![vec![format!("outbox item {} goes at the next pass", i.id)]])
        }
    }
}

pub fn settings(ctx: &mut Context, command: SettingsCommand) -> Result<(), Failure> {
    match command {
        SettingsCommand::Set { key, value } => {
            let saved = settings::set(&mut ctx.db, &ctx.actor, &key, &value)?;
            output::print(ctx, &serde_json::json!({ "key": key, "value": saved }), |_| {
                vec![vec![format!("{key} = {saved}")]]
            })
        }
        SettingsCommand::Get { key } => {
            let value = settings::get(ctx.db.conn(), &key)?.ok_or_else(|| Failure(format!("{key} is not set")))?;
            output::print(ctx, &serde_json::json!({ "key": key, "value": value }), |_| vec![vec![value.clone()]])
        }
        SettingsCommand::List => {
            let all = settings::list(ctx.db.conn())?;
            output::print(ctx, &all, |all| all.iter().map(|(k, v)| vec![k.clone(), output::cell(v)]).collect())
        }
    }
}
