//! The `SQLite` store: one database file in WAL mode, every write in an
//! `IMMEDIATE` transaction that rolls back on drop, bound parameters only.
//! Writers of one file take turns through a lock file beside it.

use super::{
    already_in_use, background, check_version, migrations, not_found, sql, stamp, unknown_member,
    update_once, Kind, Page, Query, Store, Stored,
};
use crate::schema::Registry;
use crate::{Result, ScimError};
use rusqlite::types::Value as SqlValue;
use rusqlite::{
    params, params_from_iter, Connection, ErrorCode, OptionalExtension, Transaction,
    TransactionBehavior,
};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// What a commit survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: the write-ahead log is synced at every commit, so an
    /// acknowledged write survives a crash of the process and of the machine.
    /// Each write then costs one disk sync, under the writers' lock: on the
    /// benchmark machine's virtual disk that halved the writes per second
    /// (docs/benchmarks-server.md).
    Full,
    /// `synchronous=NORMAL`, the default: the log is synced at each checkpoint,
    /// which the store's checkpoint thread runs at most a second after any
    /// commit. An acknowledged write survives a crash of the process at once
    /// (it is in the operating system's cache) and a power loss or a crash of
    /// the machine a second later; the database is consistent after either.
    /// `SQLite`'s documentation recommends it for WAL mode.
    Normal,
}

/// How [`SqliteStore::open_with`] sets up the connection.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// What a commit survives; [`Durability::Normal`] by default.
    pub durability: Durability,
    /// How long a writer waits for another process's write to finish before
    /// failing (`busy_timeout`).
    pub busy_timeout: Duration,
    /// The schemas filters are resolved against.
    pub registry: &'static Registry,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            durability: Durability::Normal,
            busy_timeout: Duration::from_secs(5),
            registry: Registry::shared(),
        }
    }
}

/// A [`Store`] in one `SQLite` database.
///
/// One connection, behind a mutex: a PHP worker is one process serving one
/// request at a time, so it needs no more. Several processes (or several
/// `SqliteStore`s) may open the same file; their writes take turns through
/// a [`WriterLock`], and `busy_timeout` still makes a writer that finds
/// `SQLite` itself busy (another program on the file) wait instead of failing.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    registry: &'static Registry,
    /// `None` for a database in memory, which only this store can reach.
    writers: Option<WriterLock>,
    /// `None` for a database in memory, or where no thread could be started.
    checkpointer: Option<Checkpointer>,
}

/// The turn of one writer among the processes sharing a database file: an
/// exclusive advisory lock (`flock`) on `<database>-writer`, taken before
/// `BEGIN IMMEDIATE` and given back after `COMMIT` or rollback.
///
/// `SQLite` alone would serialize the writers too, but a writer that finds
/// the database locked sleeps by `busy_timeout`'s schedule (1, 2, 5, 10 ms
/// and up), far longer than a write takes here (a few hundred microseconds):
/// under concurrent writes most of a request's time went to oversleeping.
/// This lock is polled every few tens of microseconds instead, so a waiting
/// writer starts soon after the previous one commits. The operating system
/// releases it when a process dies, so a crashed writer never blocks the
/// others; a writer that holds it longer than `busy_timeout` makes the
/// others fail with the store's "busy" error, as `SQLite` would.
#[derive(Debug)]
struct WriterLock {
    file: File,
    timeout: Duration,
}

/// Held while a write transaction is open; unlocks on drop.
struct WriterTurn<'a>(&'a File);

impl Drop for WriterTurn<'_> {
    fn drop(&mut self) {
        // Closing the file or ending the process would release it too.
        let _ = self.0.unlock();
    }
}

impl WriterLock {
    /// The first pause after finding the lock taken, doubled up to
    /// [`Self::MAX_PAUSE`] while it stays taken.
    const FIRST_PAUSE: Duration = Duration::from_micros(20);
    const MAX_PAUSE: Duration = Duration::from_micros(200);

    /// The lock file of the database at `database`, created if missing.
    fn open(database: &Path, timeout: Duration) -> Result<Self> {
        let mut path = PathBuf::from(database).into_os_string();
        path.push("-writer");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| {
                ScimError::Internal(format!(
                    "the store's lock file {} could not be opened: {e}",
                    Path::new(&path).display()
                ))
            })?;
        Ok(Self { file, timeout })
    }

    fn acquire(&self) -> Result<WriterTurn<'_>> {
        let deadline = Instant::now() + self.timeout;
        let mut pause = Self::FIRST_PAUSE;
        loop {
            match self.file.try_lock() {
                Ok(()) => return Ok(WriterTurn(&self.file)),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Self::MAX_PAUSE);
                }
                Err(TryLockError::WouldBlock) => return Err(busy()),
                Err(TryLockError::Error(e)) => {
                    return Err(ScimError::Internal(format!(
                        "the store's lock file could not be locked: {e}"
                    )))
                }
            }
        }
    }
}

/// Copies the write-ahead log back into the database file ("checkpoints")
/// on a thread of its own: after every [`Checkpointer::EVERY`] commits of its
/// store, and at most [`Checkpointer::WITHIN`] after any commit.
///
/// `SQLite` would otherwise checkpoint inside the `COMMIT` that takes the log
/// past 1,000 pages, with two disk syncs: on 100,000 users that made one
/// write in 135 take 5–7 ms, during which every other writer waited for its
/// turn. A passive checkpoint on another connection blocks no reader and no
/// writer, and the thread sleeps until it is woken.
///
/// The log only starts over from its beginning when a writer finds every
/// page of it copied, which never happens while writers keep appending. So
/// once it holds [`Checkpointer::RESTART_AT`] pages (64 MiB), the thread
/// syncs the database file itself and copies what came meanwhile until at
/// most [`Checkpointer::LEFT_FOR_TURN`] pages are left, then takes a
/// writer's turn (see [`WriterLock`]) for the checkpoint that copies the
/// rest and syncs: the writers pause for 1–4 ms once in about 2,500 writes
/// (for the whole sync, 20–150 ms, before it was done first). `SQLite`'s
/// automatic checkpoint, moved to four times that size, remains as the
/// safety net if the thread is gone (after a `fork`) or falls behind. A
/// checkpoint only copies what is committed, so ending the process in the
/// middle of one loses nothing.
///
/// With [`Durability::Normal`] a checkpoint is also when the log is synced to
/// disk, so the time bound is what a power loss can cost: the writes of the
/// last [`Checkpointer::WITHIN`] at most.
#[derive(Debug)]
struct Checkpointer {
    wake: SyncSender<Wake>,
    commits: AtomicU32,
    /// Checkpoints run so far.
    done: Arc<AtomicU64>,
}

/// Why the checkpoint thread is woken.
#[derive(Debug, Clone, Copy)]
enum Wake {
    /// The first commit since the last checkpoint: one is due within
    /// [`Checkpointer::WITHIN`].
    First,
    /// [`Checkpointer::EVERY`] commits since the last: one is due now.
    Due,
}

impl Checkpointer {
    /// Commits between two checkpoints: each writes a handful of pages.
    const EVERY: u32 = 64;
    /// The longest a commit waits for the next checkpoint.
    const WITHIN: Duration = Duration::from_secs(1);
    /// Pages in the log (4 KiB each) at which the thread makes it start over.
    const RESTART_AT: i64 = 16_384;
    /// Pages left to copy that the writers may wait for.
    const LEFT_FOR_TURN: i64 = 256;
    /// `SQLite`'s own automatic checkpoint, for when the thread does not run.
    const AUTOMATIC_AT: i64 = 4 * Self::RESTART_AT;

    /// The thread for the database at `path`, whose writers take turns
    /// through `writers`; `None` if it cannot be started, which only leaves
    /// checkpoints to `SQLite`.
    fn start(path: &Path, writers: WriterLock) -> Option<Self> {
        let path = path.to_path_buf();
        let done = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&done);
        let (wake, woken) = mpsc::sync_channel::<Wake>(2);
        background::spawn("scim-checkpoint", move || {
            let Ok(conn) = Connection::open(&path) else {
                return;
            };
            // The database file, to sync what checkpoints copied into it.
            let database = File::open(&path).ok();
            // Passive: copies what it can without waiting for anyone. Says
            // how many pages the log holds and how many of them are not
            // copied yet.
            let passive = || {
                conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                    let (log, copied) = (row.get::<_, i64>(1)?, row.get::<_, i64>(2)?);
                    Ok((log, log - copied))
                })
                .unwrap_or((0, 0))
            };
            let checkpoint = || {
                if passive().0 >= Self::RESTART_AT {
                    // The checkpoint that copies the last page syncs the
                    // database, with every page the earlier ones copied:
                    // tens of megabytes, while the writers would wait. So
                    // sync those first and copy what came meanwhile, while
                    // the writers go on, until little is left.
                    for _ in 0..4 {
                        if let Some(file) = &database {
                            let _ = file.sync_data();
                        }
                        if passive().1 <= Self::LEFT_FOR_TURN {
                            break;
                        }
                    }
                    if let Ok(_turn) = writers.acquire() {
                        passive();
                    }
                }
                counter.fetch_add(1, Ordering::Relaxed);
            };
            let mut due: Option<Instant> = None;
            loop {
                let signal = match due {
                    None => woken.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    Some(at) => woken.recv_timeout(at.saturating_duration_since(Instant::now())),
                };
                match signal {
                    Ok(Wake::First) => {
                        due.get_or_insert_with(|| Instant::now() + Self::WITHIN);
                    }
                    Ok(Wake::Due) | Err(RecvTimeoutError::Timeout) => {
                        checkpoint();
                        due = None;
                    }
                    // The store was dropped.
                    Err(RecvTimeoutError::Disconnected) => {
                        if due.is_some() {
                            checkpoint();
                        }
                        return;
                    }
                }
            }
        })
        .ok()?;
        Some(Self {
            wake,
            commits: AtomicU32::new(0),
            done,
        })
    }

    /// Counts one commit, and wakes the thread on the first after a
    /// checkpoint and on every [`Self::EVERY`]th.
    fn committed(&self) {
        let wake = match self.commits.fetch_add(1, Ordering::Relaxed) % Self::EVERY {
            0 => Wake::First,
            n if n == Self::EVERY - 1 => Wake::Due,
            _ => return,
        };
        // A full channel already holds a wake-up; one is enough.
        let _ = self.wake.try_send(wake);
    }
}

impl SqliteStore {
    /// Opens (creating it if need be) the database at `path`, with
    /// [`Options::default`].
    ///
    /// # Errors
    /// `Internal` when the file cannot be opened or migrated.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, &Options::default())
    }

    /// Opens (creating it if need be) the database at `path`.
    ///
    /// # Errors
    /// `Internal` when the file cannot be opened or migrated.
    pub fn open_with(path: impl AsRef<Path>, options: &Options) -> Result<Self> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(db)?;
        conn.busy_timeout(options.busy_timeout).map_err(db)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(db)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(ScimError::Internal(format!(
                "the store could not switch to WAL mode (journal mode is \"{mode}\")"
            )));
        }
        let synchronous = match options.durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", synchronous)
            .map_err(db)?;
        let writers = WriterLock::open(path, options.busy_timeout)?;
        let mut store = Self::setup(conn, options.registry, Some(writers))?;
        let checkpointer_turns = WriterLock::open(path, options.busy_timeout)?;
        store.checkpointer = Checkpointer::start(path, checkpointer_turns);
        if store.checkpointer.is_some() {
            store
                .lock()
                .pragma_update(None, "wal_autocheckpoint", Checkpointer::AUTOMATIC_AT)
                .map_err(db)?;
        }
        Ok(store)
    }

    /// A new, empty database in memory, gone when the store is dropped: for tests.
    ///
    /// # Errors
    /// `Internal` when `SQLite` cannot allocate it.
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(
            Connection::open_in_memory().map_err(db)?,
            Registry::shared(),
            None,
        )
    }

    fn setup(
        mut conn: Connection,
        registry: &'static Registry,
        writers: Option<WriterLock>,
    ) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", true).map_err(db)?;
        conn.set_prepared_statement_cache_capacity(64);
        {
            let _turn = writers.as_ref().map(WriterLock::acquire).transpose()?;
            migrations::migrate(&mut conn)?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
            registry,
            writers,
            checkpointer: None,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held cannot leave a transaction open: the
        // transaction rolled back when it was dropped during unwinding.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` in one `IMMEDIATE` transaction, in this writer's turn, and
    /// commits what it did if it succeeds (it rolls back otherwise).
    fn write<T>(&self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let turn = self.writers.as_ref().map(WriterLock::acquire).transpose()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let done = work(&tx)?;
        tx.commit().map_err(db)?;
        drop(turn);
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.committed();
        }
        Ok(done)
    }

    /// Replaces resource `id` with what `next` returns, in one immediate
    /// transaction that first checks `expected_version`.
    fn rewrite(
        &self,
        kind: Kind,
        id: &str,
        expected_version: Option<u64>,
        next: impl FnOnce(&Connection) -> Result<Value>,
    ) -> Result<Stored> {
        self.write(|tx| {
            let current = head(tx, kind, id)?.ok_or_else(|| not_found(kind, id))?;
            check_version(kind, id, current.version, expected_version)?;
            let resource = next(tx)?;
            write(tx, kind, &current, resource, &stamp::now())?;
            load(tx, kind, id)?.ok_or_else(|| not_found(kind, id))
        })
    }

    /// Stores many new resources in one transaction, all or none: for loading
    /// benchmark data and first imports. Returns their ids, in order.
    ///
    /// # Errors
    /// As [`Store::create`], for the first resource that fails.
    pub fn bulk_create(
        &self,
        kind: Kind,
        resources: impl IntoIterator<Item = Value>,
    ) -> Result<Vec<String>> {
        self.write(|tx| {
            let now = stamp::now();
            let mut ids = Vec::new();
            for resource in resources {
                let (_, id) = insert(tx, kind, resource, &now)?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// `SQLite`'s plan for `query` (`EXPLAIN QUERY PLAN`, the `detail` column),
    /// to check that a lookup uses an index.
    ///
    /// # Errors
    /// `Internal`.
    pub fn query_plan(&self, kind: Kind, query: &Query<'_>) -> Result<Vec<String>> {
        let select = Select::new(kind, query, self.registry);
        let conn = self.lock();
        let sql = format!("EXPLAIN QUERY PLAN {}", select.page_sql());
        let mut stmt = conn.prepare(&sql).map_err(db)?;
        let params = select.page_params();
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |row| {
                row.get::<_, String>(3)
            })
            .map_err(db)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
    }

    /// How many checkpoints this store's checkpoint thread has run (see
    /// [`Durability::Normal`]); 0 for a database in memory.
    #[must_use]
    pub fn checkpoints_run(&self) -> u64 {
        self.checkpointer
            .as_ref()
            .map_or(0, |c| c.done.load(Ordering::Relaxed))
    }

    /// `PRAGMA integrity_check`: `"ok"`, or `SQLite`'s list of problems.
    ///
    /// # Errors
    /// `Internal`.
    pub fn integrity_check(&self) -> Result<String> {
        let conn = self.lock();
        let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(db)?;
        let rows = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(db)?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?
            .join("\n"))
    }
}

impl Store for SqliteStore {
    fn get(&self, kind: Kind, id: &str) -> Result<Stored> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(db)?;
        load(&tx, kind, id)?.ok_or_else(|| not_found(kind, id))
    }

    fn create(&self, kind: Kind, resource: Value) -> Result<Stored> {
        self.write(|tx| {
            let (_, id) = insert(tx, kind, resource, &stamp::now())?;
            load(tx, kind, &id)?.ok_or_else(|| not_found(kind, &id))
        })
    }

    fn replace(
        &self,
        kind: Kind,
        id: &str,
        resource: Value,
        expected_version: Option<u64>,
    ) -> Result<Stored> {
        self.rewrite(kind, id, expected_version, |_| Ok(resource))
    }

    fn delete(&self, kind: Kind, id: &str, expected_version: Option<u64>) -> Result<()> {
        self.write(|tx| {
            let current = head(tx, kind, id)?.ok_or_else(|| not_found(kind, id))?;
            check_version(kind, id, current.version, expected_version)?;

            // The other side of each membership changes too: a group loses a
            // member, a user loses a group.
            let now = stamp::now();
            tx.prepare_cached(
                "UPDATE resources SET version = version + 1, modified = ?1 \
                 WHERE rid IN (SELECT group_rid FROM memberships WHERE member_rid = ?2) \
                 OR (type = 'User' AND rid IN (SELECT member_rid FROM memberships WHERE group_rid = ?2))",
            )
            .and_then(|mut stmt| stmt.execute(params![now, current.rid]))
            .map_err(db)?;
            tx.prepare_cached("DELETE FROM resources WHERE rid = ?")
                .and_then(|mut stmt| stmt.execute([current.rid]))
                .map_err(db)?;
            Ok(())
        })
    }

    fn query(&self, kind: Kind, query: &Query<'_>) -> Result<Page> {
        let select = Select::new(kind, query, self.registry);
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(db)?;

        let total = if select.exact {
            let sql = format!(
                "SELECT count(*) FROM resources r WHERE {}",
                select.condition
            );
            let mut stmt = tx.prepare_cached(&sql).map_err(db)?;
            let count: i64 = stmt
                .query_row(params_from_iter(select.params.iter()), |row| row.get(0))
                .map_err(db)?;
            u64::try_from(count).unwrap_or(0)
        } else {
            0
        };

        let mut heads = Vec::new();
        if select.limit != 0 {
            let mut stmt = tx.prepare_cached(&select.page_sql()).map_err(db)?;
            let mut rows = stmt
                .query(params_from_iter(select.page_params().iter()))
                .map_err(db)?;
            while let Some(row) = rows.next().map_err(db)? {
                heads.push(Row::read(row).map_err(db)?);
            }
        }

        let memberships = query.memberships || !select.exact;
        let resources = heads
            .into_iter()
            .map(|row| row.compose(&tx, kind, memberships))
            .collect::<Result<Vec<_>>>()?;
        let total = if select.exact {
            total
        } else {
            resources.len() as u64
        };
        Ok(Page {
            total,
            resources,
            exact: select.exact,
        })
    }

    fn update(
        &self,
        kind: Kind,
        id: &str,
        expected_version: Option<u64>,
        modify: &mut dyn FnMut(&Value) -> Result<Value>,
    ) -> Result<Stored> {
        // First optimistically: read and modify outside the writers' turn,
        // which then lasts only for a compare-and-swap write. If another
        // writer changed the resource in between, once more inside the turn,
        // where nothing can change under us, so a busy group's PATCHes all
        // succeed (no retry limit to run out of).
        if let Some(done) = update_once(self, kind, id, expected_version, modify) {
            return done;
        }
        self.rewrite(kind, id, expected_version, |tx| {
            let before = load(tx, kind, id)?.ok_or_else(|| not_found(kind, id))?;
            modify(&before.resource)
        })
    }
}

/// A search as SQL: the condition, its parameters, and the page.
struct Select {
    condition: String,
    params: Vec<SqlValue>,
    order: String,
    exact: bool,
    offset: i64,
    /// `-1` for no limit (`SQLite`'s convention).
    limit: i64,
}

impl Select {
    fn new(kind: Kind, query: &Query<'_>, registry: &Registry) -> Self {
        let mut params = vec![SqlValue::from(kind.as_str().to_owned())];
        let (condition, mut exact) = match query.filter {
            Some(filter) => {
                let translation = sql::translate(filter, kind, registry);
                params.extend(translation.params);
                (
                    format!("r.type = ? AND {}", translation.sql),
                    translation.exact,
                )
            }
            None => ("r.type = ?".to_owned(), true),
        };
        let order = match query.sort_by {
            Some(sort_by) => sql::order_by(sort_by, query.descending, kind, registry),
            None => Some(sql::CREATION_ORDER.to_owned()),
        };
        let order = order.unwrap_or_else(|| {
            exact = false;
            sql::CREATION_ORDER.to_owned()
        });
        let (offset, limit) = if exact {
            let offset = i64::try_from(query.start_index.max(1) - 1).unwrap_or(i64::MAX);
            let limit = query
                .count
                .map_or(-1, |count| i64::try_from(count).unwrap_or(i64::MAX));
            (offset, limit)
        } else {
            (0, -1)
        };
        Self {
            condition,
            params,
            order,
            exact,
            offset,
            limit,
        }
    }

    fn page_sql(&self) -> String {
        format!(
            "SELECT r.rid, r.id, r.body, r.created, r.modified, r.version FROM resources r \
             WHERE {} ORDER BY {} LIMIT ? OFFSET ?",
            self.condition, self.order
        )
    }

    fn page_params(&self) -> Vec<SqlValue> {
        let mut params = self.params.clone();
        params.push(self.limit.into());
        params.push(self.offset.into());
        params
    }
}

/// What a write needs to know of the stored row.
struct Head {
    rid: i64,
    version: u64,
}

fn head(conn: &Connection, kind: Kind, id: &str) -> Result<Option<Head>> {
    let mut stmt = conn
        .prepare_cached("SELECT rid, version FROM resources WHERE type = ? AND id = ?")
        .map_err(db)?;
    stmt.query_row(params![kind.as_str(), id], |row| {
        Ok(Head {
            rid: row.get(0)?,
            version: version(row.get(1)?),
        })
    })
    .optional()
    .map_err(db)
}

/// A resource row, before its memberships are read.
struct Row {
    rid: i64,
    id: String,
    body: String,
    created: String,
    modified: String,
    version: u64,
}

impl Row {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            rid: row.get(0)?,
            id: row.get(1)?,
            body: row.get(2)?,
            created: row.get(3)?,
            modified: row.get(4)?,
            version: version(row.get(5)?),
        })
    }

    /// The resource as [`Stored`] documents it.
    fn compose(self, conn: &Connection, kind: Kind, memberships: bool) -> Result<Stored> {
        let body: Map<String, Value> = serde_json::from_str(&self.body).map_err(|e| {
            ScimError::Internal(format!(
                "stored {kind} \"{}\" is not a JSON object: {e}",
                self.id
            ))
        })?;
        let mut resource = Map::with_capacity(body.len() + 3);
        let mut rest = Vec::with_capacity(body.len());
        for (key, value) in body {
            if key == "schemas" {
                resource.insert(key, value);
            } else {
                rest.push((key, value));
            }
        }
        resource.insert("id".to_owned(), Value::String(self.id));
        resource.extend(rest);

        if memberships {
            let related = related(conn, kind, self.rid)?;
            if !related.is_empty() {
                let key = match kind {
                    Kind::Group => "members",
                    Kind::User => "groups",
                };
                resource.insert(key.to_owned(), Value::Array(related));
            }
        }

        let mut meta = Map::with_capacity(3);
        meta.insert("resourceType".to_owned(), Value::from(kind.as_str()));
        meta.insert("created".to_owned(), Value::String(self.created));
        meta.insert("lastModified".to_owned(), Value::String(self.modified));
        resource.insert("meta".to_owned(), Value::Object(meta));
        Ok(Stored {
            resource: Value::Object(resource),
            version: self.version,
        })
    }
}

fn load(conn: &Connection, kind: Kind, id: &str) -> Result<Option<Stored>> {
    let row = conn
        .prepare_cached(
            "SELECT rid, id, body, created, modified, version FROM resources WHERE type = ? AND id = ?",
        )
        .and_then(|mut stmt| stmt.query_row(params![kind.as_str(), id], Row::read).optional())
        .map_err(db)?;
    row.map(|row| row.compose(conn, kind, true)).transpose()
}

/// A group's `members`, or a user's `groups`, in the order they were created.
fn related(conn: &Connection, kind: Kind, rid: i64) -> Result<Vec<Value>> {
    let sql = match kind {
        Kind::Group => {
            "SELECT o.id, o.type, json_extract(o.body, '$.displayName') FROM memberships m \
             JOIN resources o ON o.rid = m.member_rid WHERE m.group_rid = ? ORDER BY m.member_rid"
        }
        Kind::User => {
            "SELECT o.id, 'direct', json_extract(o.body, '$.displayName') FROM memberships m \
             JOIN resources o ON o.rid = m.group_rid WHERE m.member_rid = ? ORDER BY m.group_rid"
        }
    };
    let mut stmt = conn.prepare_cached(sql).map_err(db)?;
    let rows = stmt
        .query_map([rid], |row| {
            let mut element = Map::with_capacity(3);
            element.insert("value".to_owned(), Value::String(row.get(0)?));
            if let Some(display) = row.get::<_, Option<String>>(2).ok().flatten() {
                element.insert("display".to_owned(), Value::String(display));
            }
            element.insert("type".to_owned(), Value::String(row.get(1)?));
            Ok(Value::Object(element))
        })
        .map_err(db)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
}

/// A resource taken apart into the columns it is stored in.
struct Columns {
    /// The unique attribute's value, as given (for error messages).
    name: String,
    name_lc: String,
    display_lc: Option<String>,
    external_id: Option<String>,
    body: String,
    /// A Group's member ids.
    members: Vec<String>,
}

impl Columns {
    fn split(kind: Kind, resource: Value) -> Result<Self> {
        let Value::Object(mut object) = resource else {
            return Err(ScimError::invalid_syntax(format!(
                "a {kind} must be a JSON object"
            )));
        };
        object.retain(|key, _| {
            key != "id" && key != "meta" && !(kind == Kind::User && key == "groups")
        });
        let mut members = Vec::new();
        if kind == Kind::Group {
            if let Some(Value::Array(list)) = object.get("members") {
                for member in list {
                    match member.get("value").and_then(Value::as_str) {
                        Some(id) => members.push(id.to_owned()),
                        None => {
                            return Err(ScimError::invalid_value(
                                "members: a member has no \"value\"",
                            ))
                        }
                    }
                }
            }
            object.retain(|key, _| key != "members");
        }

        let attribute = kind.unique_attribute();
        let Some(name) = object.get(attribute).and_then(Value::as_str) else {
            return Err(ScimError::invalid_value(format!("{attribute} is required")));
        };
        let name = name.to_owned();
        let display_lc = object
            .get("displayName")
            .and_then(Value::as_str)
            .map(str::to_lowercase);
        let external_id = object
            .get("externalId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let body = serde_json::to_string(&object)
            .map_err(|e| ScimError::Internal(format!("a {kind} could not be serialized: {e}")))?;
        Ok(Self {
            name_lc: name.to_lowercase(),
            name,
            display_lc,
            external_id,
            body,
            members,
        })
    }
}

/// Inserts a new resource; returns its row id and id.
fn insert(conn: &Connection, kind: Kind, resource: Value, now: &str) -> Result<(i64, String)> {
    let columns = Columns::split(kind, resource)?;
    let id = stamp::new_id();
    conn.prepare_cached(
        "INSERT INTO resources (type, id, name_lc, display_lc, external_id, body, created, modified, version) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            kind.as_str(),
            id,
            columns.name_lc,
            columns.display_lc,
            columns.external_id,
            columns.body,
            now,
            now
        ])
    })
    .map_err(|e| unique_violation(e, kind, &columns.name))?;
    let rid = conn.last_insert_rowid();
    if kind == Kind::Group {
        set_members(conn, rid, &columns.members, now)?;
    }
    Ok((rid, id))
}

/// Overwrites the stored row `current` with `resource`.
fn write(conn: &Connection, kind: Kind, current: &Head, resource: Value, now: &str) -> Result<()> {
    let columns = Columns::split(kind, resource)?;
    conn.prepare_cached(
        "UPDATE resources SET name_lc = ?, display_lc = ?, external_id = ?, body = ?, modified = ?, \
         version = version + 1 WHERE rid = ?",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            columns.name_lc,
            columns.display_lc,
            columns.external_id,
            columns.body,
            now,
            current.rid
        ])
    })
    .map_err(|e| unique_violation(e, kind, &columns.name))?;
    if kind == Kind::Group {
        set_members(conn, current.rid, &columns.members, now)?;
    }
    Ok(())
}

/// Makes group `group`'s members exactly `wanted` (ids), touching only the
/// memberships that change, and bumping the version of each user who joins
/// or leaves (their `groups` changed).
fn set_members(conn: &Connection, group: i64, wanted: &[String], now: &str) -> Result<()> {
    let mut current: HashMap<String, i64> = HashMap::new();
    {
        let mut stmt = conn
            .prepare_cached(
                "SELECT o.id, m.member_rid FROM memberships m JOIN resources o ON o.rid = m.member_rid \
                 WHERE m.group_rid = ?",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([group], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(db)?;
        for row in rows {
            let (id, rid) = row.map_err(db)?;
            current.insert(id, rid);
        }
    }
    let wanted: HashSet<&str> = wanted.iter().map(String::as_str).collect();

    let mut find = conn
        .prepare_cached("SELECT rid FROM resources WHERE id = ?")
        .map_err(db)?;
    let mut add = conn
        .prepare_cached("INSERT OR IGNORE INTO memberships (group_rid, member_rid) VALUES (?, ?)")
        .map_err(db)?;
    let mut remove = conn
        .prepare_cached("DELETE FROM memberships WHERE group_rid = ? AND member_rid = ?")
        .map_err(db)?;
    let mut touch = conn
        .prepare_cached(
            "UPDATE resources SET version = version + 1, modified = ? WHERE rid = ? AND type = 'User'",
        )
        .map_err(db)?;

    for id in &wanted {
        if current.contains_key(*id) {
            continue;
        }
        let member: i64 = find
            .query_row([id], |row| row.get(0))
            .optional()
            .map_err(db)?
            .ok_or_else(|| unknown_member(id))?;
        add.execute([group, member]).map_err(db)?;
        touch.execute(params![now, member]).map_err(db)?;
    }
    for (id, member) in &current {
        if !wanted.contains(id.as_str()) {
            remove.execute([group, *member]).map_err(db)?;
            touch.execute(params![now, member]).map_err(db)?;
        }
    }
    Ok(())
}

fn version(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or(0)
}

/// A failure of `SQLite`, as the store reports it: the detail says what `SQLite`
/// said, which names no data.
// By value, to be `map_err`'s argument.
#[allow(clippy::needless_pass_by_value)]
fn db(e: rusqlite::Error) -> ScimError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => busy(),
        _ => ScimError::Internal(format!("the store failed: {e}")),
    }
}

/// Another writer kept the database for longer than `busy_timeout`.
fn busy() -> ScimError {
    ScimError::Internal("the store is busy with other writes, try again".to_owned())
}

/// The `UNIQUE` index on `(type, name_lc)` is what keeps names unique: the
/// index, not a look-up before the write, so that it holds under any
/// interleaving of writers and costs no extra search.
fn unique_violation(e: rusqlite::Error, kind: Kind, name: &str) -> ScimError {
    match &e {
        rusqlite::Error::SqliteFailure(failure, Some(message))
            if failure.code == ErrorCode::ConstraintViolation && message.contains("name_lc") =>
        {
            already_in_use(kind, name)
        }
        _ => db(e),
    }
}

#[cfg(test)]
mod tests {
    use super::Checkpointer;
    use std::sync::atomic::{AtomicU32, AtomicU64};
    use std::sync::{mpsc, Arc};

    #[test]
    fn the_checkpointer_is_woken_on_the_first_commit_and_every_64th() {
        let (wake, woken) = mpsc::sync_channel(200);
        let checkpointer = Checkpointer {
            wake,
            commits: AtomicU32::new(0),
            done: Arc::new(AtomicU64::new(0)),
        };
        let mut wakes = Vec::new();
        for commit in 1..=130 {
            checkpointer.committed();
            while let Ok(why) = woken.try_recv() {
                wakes.push((commit, why));
            }
        }
        let wakes: Vec<String> = wakes
            .iter()
            .map(|(commit, why)| format!("{commit}:{why:?}"))
            .collect();
        assert_eq!(
            wakes,
            ["1:First", "64:Due", "65:First", "128:Due", "129:First"]
        );
    }
}
