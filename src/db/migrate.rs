//! Forward-only schema migrations, embedded in the binary.
//!
//! Each `migrations/NNNN_name.sql` file is applied once, in order, inside its own
//! transaction, and recorded in `schema_migrations`. Opening a database made by an older
//! HME Desk therefore upgrades it; a database from a newer program is refused rather than
//! guessed at.

use super::DbError;
use rusqlite::Connection;

/// A migration: its number, its name and its SQL.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migrations {
    ($($version:literal => $name:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../migrations/", $name, ".sql")),
        }),*]
    };
}

/// Every migration, in the order it must run.
pub const MIGRATIONS: &[Migration] = migrations![
    1 => "0001_foundation",
    2 => "0002_inventory",
    3 => "0003_orders",
    4 => "0004_deliveries",
    5 => "0005_claims",
    6 => "0006_rentals",
    8 => "0008_remit",
    9 => "0009_sync",
    10 => "0010_prior_auth_2024",
    11 => "0011_prior_auth_2026",
    14 => "0014_acks",
    15 => "0015_claims_related",
    16 => "0016_delivery_item_lines",
    17 => "0017_work_queue_corrections",
    18 => "0018_claims_corrects",
];

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Applies every migration the database has not seen yet.
pub fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        );",
    )?;
    let current: i64 = conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
    if current > latest_version() {
        return Err(DbError::TooNew { found: current, known: latest_version() });
    }
    // Every migration not yet recorded runs, not only those above the highest recorded: a
    // migration numbered below one already applied (branches landing out of order) still runs.
    let applied: std::collections::HashSet<i64> = conn
        .prepare("SELECT version FROM schema_migrations")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql).map_err(|source| DbError::Migration { name: m.name, source })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            (m.version, m.name, super::now_utc()),
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_migration_below_the_highest_applied_still_runs() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let seeded = "SELECT COUNT(*) FROM documentation_rules WHERE source LIKE '%CMS-6095-N%'";
        let count = |conn: &Connection| conn.query_row(seeded, [], |r| r.get::<_, i64>(0)).unwrap();
        let expected = count(&conn);
        assert!(expected > 0);
        conn.execute_batch(
            "DELETE FROM documentation_rules WHERE source LIKE '%CMS-6095-N%';
             DELETE FROM schema_migrations WHERE version = 10;",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(count(&conn), expected);
        migrate(&mut conn).unwrap();
        assert_eq!(count(&conn), expected, "a second run applies nothing");
    }
}
