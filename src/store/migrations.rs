//! The `SQLite` store's schema, built by numbered migrations and tracked in
//! `PRAGMA user_version`.

use crate::{Result, ScimError};
use rusqlite::{Connection, TransactionBehavior};

/// The migrations, in order: migration `n` (1-based) brings the database
/// from `user_version` `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

/// The schema version this build writes and reads.
#[must_use]
pub fn latest() -> u32 {
    u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX)
}

/// Brings the database up to [`latest`], each migration in its own
/// `IMMEDIATE` transaction that re-reads the version, so that several
/// processes opening a new file at once migrate it once.
///
/// # Errors
/// `Internal` when a migration fails or the database is newer than this build.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed)?;
        let version: u32 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(failed)?;
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            if version > latest() {
                return Err(ScimError::Internal(format!(
                    "the store's schema version {version} is newer than this build's {}",
                    latest()
                )));
            }
            return Ok(());
        };
        tx.execute_batch(sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", version + 1)
            .map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
}

// By value, to be `map_err`'s argument.
#[allow(clippy::needless_pass_by_value)]
fn failed(e: rusqlite::Error) -> ScimError {
    ScimError::Internal(format!("store migration failed: {e}"))
}
