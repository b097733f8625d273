//! Opening a database file safely and bringing its schema up to date.

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};

use crate::{Result, Store, StoreError};

/// `PRAGMA application_id` of every Assay database ('ASSY').
pub const APPLICATION_ID: i64 = 0x4153_5359;

/// Append-only: add a new file and a new line; never edit or reorder a landed one.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../migrations/0001_assessments.sql")),
    M::up(include_str!("../migrations/0002_governance_items.sql")),
    M::up(include_str!("../migrations/0003_audit_trail.sql")),
    M::up(include_str!("../migrations/0004_signoffs.sql")),
    M::up(include_str!("../migrations/0005_bundles.sql")),
    M::up(include_str!("../migrations/0006_evidence.sql")),
    M::up(include_str!("../migrations/0007_evidence_scope.sql")),
    M::up(include_str!("../migrations/0008_report_exports.sql")),
    M::up(include_str!("../migrations/0009_banks.sql")),
    M::up(include_str!("../migrations/0010_finalised.sql")),
    M::up(include_str!("../migrations/0011_evidence_provenance.sql")),
    M::up(include_str!("../migrations/0012_signoff_trail.sql")),
    M::up(include_str!("../migrations/0013_room_position.sql")),
    M::up(include_str!("../migrations/0014_roadmap_effort.sql")),
    M::up(include_str!("../migrations/0015_soa_decision.sql")),
    M::up(include_str!("../migrations/0016_evidence_as_of.sql")),
    M::up(include_str!("../migrations/0017_export_kind.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Applies migrations 1..=`version` (and no later one) to `conn`, leaving the schema as the
/// Assay release that had `version` migrations left its files, `user_version` included. For
/// tests that build a fixture of every earlier schema and check that [`Store::open`] upgrades
/// it; the app itself only ever migrates to the latest version.
pub fn migrate_to_version(conn: &mut Connection, version: usize) -> Result<()> {
    Migrations::from_slice(MIGRATIONS)
        .to_version(conn, version)
        .map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from(err),
            other => StoreError::Open {
                path: conn.path().unwrap_or(":memory:").to_owned(),
                message: other.to_string(),
            },
        })
}

/// What the 100-byte SQLite header says about an existing file.
struct Header {
    user_version: i64,
    application_id: i64,
}

impl Store {
    /// Opens (creating when absent) the database at `path` and migrates it to the latest schema.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(header) = read_header(path)? {
            check_header(&shown, &header)?;
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: shown.clone(),
                message: e.to_string(),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        Store::prepare(conn, &shown)
    }

    /// A private in-memory database, for quick tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, ":memory:")
    }

    fn prepare(mut conn: Connection, shown: &str) -> Result<Store> {
        let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                StoreError::NotADatabase {
                    path: shown.to_owned(),
                    reason: "the file is damaged or not SQLite".into(),
                }
            }
            _ => StoreError::from(e),
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(damaged)?;
        let user_version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(damaged)?;
        let application_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(damaged)?;
        // Refuse a foreign or newer file before any pragma below writes to it.
        check_header(
            shown,
            &Header {
                user_version,
                application_id,
            },
        )?;
        if user_version == 0 {
            let tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                    [],
                    |r| r.get(0),
                )
                .map_err(damaged)?;
            if tables > 0 {
                return Err(StoreError::NotADatabase {
                    path: shown.to_owned(),
                    reason: "it is an SQLite database of another application".into(),
                });
            }
        }
        // WAL lets the app read while the CLI writes; NORMAL sync keeps every committed
        // transaction across a process crash (only power loss can drop the newest ones).
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(damaged)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(damaged)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(damaged)?;

        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .map_err(|e| match e {
                rusqlite_migration::Error::RusqliteError { err, .. } => damaged(err),
                other => StoreError::Open {
                    path: shown.to_owned(),
                    message: other.to_string(),
                },
            })?;
        Ok(Store { conn })
    }
}

/// Reads the SQLite header of an existing, non-empty file; `None` when there is nothing yet.
fn read_header(path: &Path) -> Result<Option<Header>> {
    let shown = || path.display().to_string();
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(StoreError::Open {
                path: shown(),
                message: e.to_string(),
            });
        }
    };
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(StoreError::NotADatabase {
            path: shown(),
            reason: "it is a directory".into(),
        });
    }
    let mut header = [0u8; 100];
    let mut filled = 0;
    while filled < header.len() {
        match file.read(&mut header[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => {
                return Err(StoreError::Open {
                    path: shown(),
                    message: e.to_string(),
                });
            }
        }
    }
    if filled == 0 {
        return Ok(None);
    }
    if filled < header.len() || &header[..16] != SQLITE_MAGIC {
        return Err(StoreError::NotADatabase {
            path: shown(),
            reason: "the file is not SQLite".into(),
        });
    }
    let be = |at: usize| {
        i64::from(i32::from_be_bytes([
            header[at],
            header[at + 1],
            header[at + 2],
            header[at + 3],
        ]))
    };
    Ok(Some(Header {
        user_version: be(60),
        application_id: be(68),
    }))
}

fn check_header(shown: &str, header: &Header) -> Result<()> {
    let foreign_id = header.application_id != 0 && header.application_id != APPLICATION_ID;
    // Every Assay schema version sets the id in the same transaction as the version.
    let foreign_schema = header.user_version > 0 && header.application_id != APPLICATION_ID;
    if foreign_id || foreign_schema {
        return Err(StoreError::NotADatabase {
            path: shown.to_owned(),
            reason: "it is an SQLite database of another application".into(),
        });
    }
    if header.user_version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: shown.to_owned(),
            found: header.user_version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
