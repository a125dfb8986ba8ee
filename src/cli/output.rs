//! Printing results: JSON for programs, aligned text tables for people.

use super::{Context, Failure};
use serde::Serialize;

/// Prints `value` as JSON, or as the table rows `rows` makes of it.
pub fn print<T: Serialize>(ctx: &Context, value: &T, rows: impl FnOnce(&T) -> Vec<Vec<String>>) -> Result<(), Failure> {
    if ctx.json {
        line(&serde_json::to_string_pretty(value)?);
    } else {
        print_table(&rows(value));
    }
    Ok(())
}

/// Prints a confirmation: `{"message": ...}` with `--json`, the sentence otherwise.
pub fn message(ctx: &Context, text: &str) {
    if ctx.json {
        line(&serde_json::json!({ "message": text }).to_string());
    } else {
        line(text);
    }
}

fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let row: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        line(row.join("  ").trim_end());
    }
}

/// Text for an optional cell.
pub fn cell(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Prints one line on standard output. When the reader has gone away (`hmedesk ... | head`),
/// the command stops quietly instead of failing: nobody is left to read the rest.
pub fn line(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write the output: {e}");
        std::process::exit(1);
    }
}
