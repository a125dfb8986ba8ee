//! Printing results: JSON for programs, aligned text tables for people.

use super::{Context, Failure};
use serde::Serialize;

/// Prints `value` as JSON, or as the table rows `rows` makes of it.
pub fn print<T: Serialize>(ctx: &Context, value: &T, rows: impl FnOnce(&T) -> Vec<Vec<String>>) -> Result<(), Failure> {
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        print_table(&rows(value));
    }
    Ok(())
}

/// Prints a confirmation: `{"message": ...}` with `--json`, the sentence otherwise.
pub fn message(ctx: &Context, text: &str) {
    if ctx.json {
        println!("{}", serde_json::json!({ "message": text }));
    } else {
        println!("{text}");
    }
}

fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        println!("{}", line.join("  ").trim_end());
    }
}

/// Text for an optional cell.
pub fn cell(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}
