//! `etalase backup PATH` and `etalase restore PATH`.
//!
//! A backup folder holds `etalase.db` (SQLite only: a consistent snapshot written by
//! `VACUUM INTO` while the shop keeps serving and taking orders), `media/` (photos, logos,
//! banners: a copy of `MEDIA_DIR`) and `documents/` (the private legal document scans of
//! `DATA_DIR/documents`). The search index is not kept: it is rebuilt from the database.
//! Mail still in `DATA_DIR/mail-outbox` files and the session key are not kept either.
//!
//! On PostgreSQL the database is dumped with `pg_dump` and restored with `pg_restore`; both
//! commands copy the two folders and print the database command to run. When media and
//! documents are kept in object storage (`MEDIA_S3_BUCKET`) the bucket is kept with the
//! store's own tools the same way: nothing is copied from or into it, and both commands print
//! the `aws s3 sync` commands that copy its `media/` and `private/` folders beside the backup
//! and back.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::SqliteConnection;

use crate::config::Settings;
use crate::db::schema::{order_items, orders, products};
use crate::db::DatabaseUrl;
use crate::error::AppError;

/// The database file inside a backup folder.
pub const DATABASE_FILE: &str = "etalase.db";
pub const MEDIA_FOLDER: &str = "media";
pub const DOCUMENTS_FOLDER: &str = "documents";

/// Files copied from one folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FolderCopy {
    pub files: u64,
    pub bytes: u64,
}

/// What a SQLite database file holds, counted in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DatabaseCounts {
    pub bytes: u64,
    pub products: i64,
    pub orders: i64,
    pub order_items: i64,
}

#[derive(Debug, Clone)]
pub struct BackupReport {
    pub folder: PathBuf,
    /// None on PostgreSQL (see `postgres_advice`).
    pub database: Option<DatabaseCounts>,
    pub media: FolderCopy,
    pub documents: FolderCopy,
    /// On PostgreSQL: the pg_dump and pg_restore commands to run.
    pub postgres_advice: Option<String>,
    /// With object storage: the commands that copy the bucket beside the backup and back.
    pub bucket_advice: Option<String>,
    pub took: Duration,
}

#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub database: Option<DatabaseCounts>,
    /// Where the database that was replaced was kept.
    pub previous_database: Option<PathBuf>,
    pub media: FolderCopy,
    pub documents: FolderCopy,
    /// The embedded search index that was removed so the next start rebuilds it.
    pub search_index_removed: Option<PathBuf>,
    /// Meilisearch holds the index: `etalase reindex` brings it in line.
    pub reindex_meilisearch: bool,
    pub postgres_advice: Option<String>,
    /// With object storage: the commands that copy the bucket beside the backup and back.
    pub bucket_advice: Option<String>,
}

/// Backs the shop up into `dest` (created when missing; it must not already hold a backup).
pub fn backup(settings: &Settings, dest: &Path) -> Result<BackupReport, AppError> {
    let started = Instant::now();
    let media_dir = &settings.media_dir;
    let documents_dir = documents_dir(settings);
    for (name, dir) in [
        ("MEDIA_DIR", media_dir),
        ("the documents folder", &documents_dir),
    ] {
        if is_inside(dest, dir) {
            return Err(AppError::BadRequest(format!(
                "{} is inside {name} ({}): choose a backup folder outside it",
                dest.display(),
                dir.display()
            )));
        }
    }
    std::fs::create_dir_all(dest).map_err(|e| io_error("create", dest, e))?;
    for name in [DATABASE_FILE, MEDIA_FOLDER, DOCUMENTS_FOLDER] {
        if dest.join(name).exists() {
            return Err(AppError::BadRequest(format!(
                "{} already holds a backup ({name}): choose an empty folder",
                dest.display()
            )));
        }
    }

    let (database, postgres_advice) = match &settings.database_url {
        DatabaseUrl::Sqlite(path) => (Some(snapshot_sqlite(Path::new(path), dest)?), None),
        DatabaseUrl::Postgres(url) => (None, Some(postgres_advice(url, dest))),
    };
    // After the database: files of photos added meanwhile are copied too (an orphan file is
    // harmless; a photo row without its file is not).
    let (media, documents, bucket_note) = match &settings.media_s3 {
        None => (
            copy_folder(media_dir, &dest.join(MEDIA_FOLDER))?,
            copy_folder(&documents_dir, &dest.join(DOCUMENTS_FOLDER))?,
            None,
        ),
        Some(s3) => (
            FolderCopy::default(),
            FolderCopy::default(),
            Some(bucket_advice(s3, dest)),
        ),
    };
    Ok(BackupReport {
        folder: dest.to_path_buf(),
        database,
        media,
        documents,
        postgres_advice,
        bucket_advice: bucket_note,
        took: started.elapsed(),
    })
}

/// Restores a backup folder into the configured database, media and documents folders.
///
/// A SQLite database that another process (a running `etalase serve`) has open is not
/// replaced unless `force`. The replaced database is kept beside it as
/// `etalase.db.before-restore-<unix seconds>`.
pub fn restore(settings: &Settings, src: &Path, force: bool) -> Result<RestoreReport, AppError> {
    if !src.is_dir() {
        return Err(AppError::BadRequest(format!(
            "{} is not a backup folder",
            src.display()
        )));
    }
    let mut report = RestoreReport {
        database: None,
        previous_database: None,
        media: FolderCopy::default(),
        documents: FolderCopy::default(),
        search_index_removed: None,
        reindex_meilisearch: settings.meili.is_some(),
        postgres_advice: None,
        bucket_advice: None,
    };
    match &settings.database_url {
        DatabaseUrl::Sqlite(path) => {
            let backup_db = src.join(DATABASE_FILE);
            if !backup_db.is_file() {
                return Err(AppError::BadRequest(format!(
                    "{} holds no {DATABASE_FILE}",
                    src.display()
                )));
            }
            let counts = check_sqlite(&backup_db)?;
            report.previous_database = replace_sqlite(&backup_db, Path::new(path), force)?;
            report.database = Some(counts);
        }
        DatabaseUrl::Postgres(url) => {
            report.postgres_advice = Some(postgres_advice(url, src));
        }
    }
    match &settings.media_s3 {
        None => {
            report.media = copy_folder(&src.join(MEDIA_FOLDER), &settings.media_dir)?;
            report.documents = copy_folder(&src.join(DOCUMENTS_FOLDER), &documents_dir(settings))?;
        }
        Some(s3) => report.bucket_advice = Some(bucket_advice(s3, src)),
    }
    if settings.meili.is_none() && settings.database_url.is_sqlite() {
        // The embedded index describes the database that was replaced: drop it, and the next
        // start rebuilds it from the restored one.
        let index = settings.data_dir.join("search");
        if index.exists() {
            std::fs::remove_dir_all(&index).map_err(|e| io_error("remove", &index, e))?;
            report.search_index_removed = Some(index);
        }
    }
    Ok(report)
}

/// Where the private files live without object storage: legal document scans, proposed logos
/// and banners, QRIS images (`services::media::open`).
pub fn documents_dir(settings: &Settings) -> PathBuf {
    settings.data_dir.join("documents")
}

/// Whether a SQLite database is open in another connection (a running server keeps its pooled
/// connections open). In WAL mode every open connection holds a shared lock on the file, so
/// an exclusive lock is refused at once.
pub fn sqlite_in_use(path: &Path) -> Result<bool, AppError> {
    let mut conn = open_sqlite(path)?;
    conn.batch_execute("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE;")?;
    match conn.batch_execute("BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => Ok(false),
        Err(diesel::result::Error::DatabaseError(_, info))
            if info.message().contains("locked") || info.message().contains("busy") =>
        {
            Ok(true)
        }
        Err(e) => Err(e.into()),
    }
}

fn open_sqlite(path: &Path) -> Result<SqliteConnection, AppError> {
    let url = path
        .to_str()
        .ok_or_else(|| AppError::BadRequest(format!("{} is not UTF-8", path.display())))?;
    SqliteConnection::establish(url)
        .map_err(|e| AppError::Internal(format!("cannot open {}: {e}", path.display())))
}

/// `VACUUM INTO` a partial file, check it, then give it its name: a backup that stopped half
/// way never looks complete.
fn snapshot_sqlite(source: &Path, dest: &Path) -> Result<DatabaseCounts, AppError> {
    if !source.is_file() {
        return Err(AppError::BadRequest(format!(
            "there is no database at {}",
            source.display()
        )));
    }
    let partial = dest.join(format!("{DATABASE_FILE}.partial"));
    let _ = std::fs::remove_file(&partial);
    let mut conn = open_sqlite(source)?;
    conn.batch_execute("PRAGMA busy_timeout = 5000;")?;
    let target = partial
        .to_str()
        .ok_or_else(|| AppError::BadRequest(format!("{} is not UTF-8", dest.display())))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(target)
        .execute(&mut conn)?;
    drop(conn);
    let counts = check_sqlite(&partial)?;
    let done = dest.join(DATABASE_FILE);
    std::fs::rename(&partial, &done).map_err(|e| io_error("rename", &partial, e))?;
    Ok(counts)
}

#[derive(QueryableByName)]
struct CheckRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    quick_check: String,
}

/// `PRAGMA quick_check` and what the file holds.
fn check_sqlite(path: &Path) -> Result<DatabaseCounts, AppError> {
    let mut conn = open_sqlite(path)?;
    let rows: Vec<CheckRow> = diesel::sql_query("PRAGMA quick_check").load(&mut conn)?;
    if rows.len() != 1 || rows[0].quick_check != "ok" {
        let problems: Vec<String> = rows.into_iter().take(5).map(|r| r.quick_check).collect();
        return Err(AppError::Internal(format!(
            "{} is damaged: {}",
            path.display(),
            problems.join("; ")
        )));
    }
    Ok(DatabaseCounts {
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        products: products::table.count().get_result(&mut conn)?,
        orders: orders::table.count().get_result(&mut conn)?,
        order_items: order_items::table.count().get_result(&mut conn)?,
    })
}

/// Puts the checked backup in place of `target`: copied beside it first, then renamed over it,
/// so the database is the old one or the new one, never half of each.
fn replace_sqlite(
    backup_db: &Path,
    target: &Path,
    force: bool,
) -> Result<Option<PathBuf>, AppError> {
    let sidecar = |suffix: &str| {
        let mut name = target.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let mut previous = None;
    if target.exists() {
        if sqlite_in_use(target)? {
            if !force {
                return Err(AppError::BadRequest(format!(
                    "the database {} is in use (is `etalase serve` running?): stop the server \
                     first, or say --force to replace it anyway",
                    target.display()
                )));
            }
        } else {
            // Fold its write-ahead log in, so the copy kept below is complete on its own.
            let mut conn = open_sqlite(target)?;
            conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        let kept = sidecar(&format!(".before-restore-{}", crate::models::now_ts()));
        std::fs::rename(target, &kept).map_err(|e| io_error("rename", target, e))?;
        previous = Some(kept);
    } else if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
    }
    // A log left by the replaced database must never be applied to the restored one.
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(sidecar(suffix));
    }
    let incoming = sidecar(".restoring");
    std::fs::copy(backup_db, &incoming).map_err(|e| io_error("copy", backup_db, e))?;
    std::fs::File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error("sync", &incoming, e))?;
    std::fs::rename(&incoming, target).map_err(|e| io_error("rename", &incoming, e))?;
    Ok(previous)
}

/// Copies every regular file under `from` into `to` (created when missing), keeping relative
/// paths and replacing files of the same name. Symbolic links are not followed. A missing
/// `from` copies nothing.
pub fn copy_folder(from: &Path, to: &Path) -> Result<FolderCopy, AppError> {
    let mut copied = FolderCopy::default();
    if !from.is_dir() {
        return Ok(copied);
    }
    std::fs::create_dir_all(to).map_err(|e| io_error("create", to, e))?;
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let dir = from.join(&rel);
        let entries = std::fs::read_dir(&dir).map_err(|e| io_error("read", &dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error("read", &dir, e))?;
            let kind = entry
                .file_type()
                .map_err(|e| io_error("read", &entry.path(), e))?;
            let rel = rel.join(entry.file_name());
            if kind.is_dir() {
                let target = to.join(&rel);
                std::fs::create_dir_all(&target).map_err(|e| io_error("create", &target, e))?;
                pending.push(rel);
            } else if kind.is_file() {
                let target = to.join(&rel);
                copied.bytes += std::fs::copy(entry.path(), &target)
                    .map_err(|e| io_error("copy", &entry.path(), e))?;
                copied.files += 1;
            }
        }
    }
    Ok(copied)
}

/// Whether `path` is `dir` or inside it (both resolved as far as they exist).
fn is_inside(path: &Path, dir: &Path) -> bool {
    let resolve = |p: &Path| {
        let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        // Resolve the longest existing prefix (the backup folder may not exist yet).
        let mut existing = absolute.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for name in rest.iter().rev() {
            resolved.push(name);
        }
        resolved
    };
    resolve(path).starts_with(resolve(dir))
}

/// The pg_dump and pg_restore commands for this database and folder, password left out.
pub fn postgres_advice(url: &str, folder: &Path) -> String {
    let (shown, had_password) = match url::Url::parse(url) {
        Ok(mut parsed) => {
            let had = parsed.password().is_some();
            let _ = parsed.set_password(None);
            (parsed.to_string(), had)
        }
        Err(_) => ("\"$DATABASE_URL\"".to_string(), false),
    };
    let quoted_url = if shown.starts_with('"') {
        shown
    } else {
        shell_quote(&shown)
    };
    let dump = shell_quote(&folder.join("etalase.dump").display().to_string());
    let mut advice = format!(
        "The database is on PostgreSQL: etalase copies the media and documents folders, and \
         the database is saved with PostgreSQL's own tools.\n\
         Back it up (any time, while the shop runs):\n  \
         pg_dump --format=custom --no-owner --file {dump} {quoted_url}\n\
         Restore it (the server stopped; objects are dropped and created again):\n  \
         pg_restore --clean --if-exists --no-owner --dbname {quoted_url} {dump}\n"
    );
    if had_password {
        advice.push_str(
            "(The password is left out of these commands: give it with PGPASSWORD or \
             ~/.pgpass.)\n",
        );
    }
    advice
}

/// The `aws s3 sync` commands that copy the bucket's `media/` and `private/` folders into
/// `folder` (as `media/` and `documents/`, the layout of a backup of the folders) and back.
pub fn bucket_advice(s3: &crate::config::MediaS3Settings, folder: &Path) -> String {
    let endpoint = s3
        .endpoint
        .as_deref()
        .map(|e| format!(" --endpoint-url {}", shell_quote(e)))
        .unwrap_or_default();
    let bucket = |prefix: &str| shell_quote(&format!("s3://{}/{prefix}", s3.bucket));
    let local = |name: &str| shell_quote(&folder.join(name).display().to_string());
    let (media, private) = (
        bucket(crate::services::media::PUBLIC_PREFIX),
        bucket(crate::services::media::PRIVATE_PREFIX),
    );
    let (media_copy, documents_copy) = (local(MEDIA_FOLDER), local(DOCUMENTS_FOLDER));
    format!(
        "Media and documents are kept in the bucket {bucket_name} (MEDIA_S3_BUCKET): etalase \
         copies nothing from or into it. Keep it with the store's own tools (versioning, \
         replication), or copy it beside this backup (the keys as AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY):\n  \
         aws s3 sync{endpoint} {media} {media_copy}\n  \
         aws s3 sync{endpoint} {private} {documents_copy}\n\
         and back (the photos with their long cache header):\n  \
         aws s3 sync{endpoint} --cache-control 'public, max-age=31536000, immutable' {media_copy} {media}\n  \
         aws s3 sync{endpoint} {documents_copy} {private}\n",
        bucket_name = s3.bucket,
    )
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-:@=+,".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> AppError {
    AppError::Internal(format!("cannot {what} {}: {e}", path.display()))
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

impl fmt::Display for BackupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(db) = &self.database {
            writeln!(
                f,
                "database: {} ({:.1} MB: {} products, {} orders, {} order lines)",
                self.folder.join(DATABASE_FILE).display(),
                megabytes(db.bytes),
                db.products,
                db.orders,
                db.order_items
            )?;
        }
        writeln!(
            f,
            "media: {} files ({:.1} MB); documents: {} files ({:.1} MB)",
            self.media.files,
            megabytes(self.media.bytes),
            self.documents.files,
            megabytes(self.documents.bytes)
        )?;
        if let Some(advice) = &self.postgres_advice {
            f.write_str(advice)?;
        }
        if let Some(advice) = &self.bucket_advice {
            f.write_str(advice)?;
        }
        write!(
            f,
            "backup written to {} in {:.1}s",
            self.folder.display(),
            self.took.as_secs_f64()
        )
    }
}

impl fmt::Display for RestoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(db) = &self.database {
            writeln!(
                f,
                "database restored: {} products, {} orders, {} order lines",
                db.products, db.orders, db.order_items
            )?;
        }
        if let Some(previous) = &self.previous_database {
            writeln!(
                f,
                "the database it replaced is kept as {}",
                previous.display()
            )?;
        }
        writeln!(
            f,
            "media: {} files; documents: {} files",
            self.media.files, self.documents.files
        )?;
        if let Some(index) = &self.search_index_removed {
            writeln!(
                f,
                "search index {} removed: the next start rebuilds it",
                index.display()
            )?;
        }
        if self.reindex_meilisearch {
            writeln!(f, "run `etalase reindex` to bring Meilisearch in line")?;
        }
        if let Some(advice) = &self.postgres_advice {
            f.write_str(advice)?;
        }
        if let Some(advice) = &self.bucket_advice {
            f.write_str(advice)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_advice_names_both_tools_and_hides_the_password() {
        let advice = postgres_advice(
            "postgres://shop:s3cret@db.internal:5432/etalase",
            Path::new("/backups/2026 11 24"),
        );
        assert!(advice.contains(
            "pg_dump --format=custom --no-owner --file '/backups/2026 11 24/etalase.dump' \
             postgres://shop@db.internal:5432/etalase"
        ));
        assert!(advice.contains("pg_restore --clean --if-exists --no-owner --dbname"));
        assert!(!advice.contains("s3cret") && advice.contains("PGPASSWORD"));
    }

    #[test]
    fn a_shop_on_object_storage_is_told_how_to_copy_its_bucket_beside_the_backup_and_back() {
        let s3 = crate::config::MediaS3Settings {
            bucket: "etalase-media".into(),
            endpoint: Some("http://127.0.0.1:9000".into()),
            region: "us-east-1".into(),
            public_url: None,
            access_key_id: Some("kunci".into()),
            secret_access_key: Some("rahasia".into()),
            session_token: None,
        };
        let advice = bucket_advice(&s3, Path::new("/backups/hari ini"));
        assert!(advice.contains(
            "aws s3 sync --endpoint-url http://127.0.0.1:9000 s3://etalase-media/media \
             '/backups/hari ini/media'"
        ));
        assert!(advice.contains(
            "aws s3 sync --endpoint-url http://127.0.0.1:9000 '/backups/hari ini/documents' \
             s3://etalase-media/private"
        ));
        assert!(!advice.contains("rahasia"), "the secret is never printed");
    }

    #[test]
    fn a_backup_folder_inside_the_media_folder_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        std::fs::create_dir_all(&media).unwrap();
        assert!(is_inside(&media.join("backup/today"), &media));
        assert!(is_inside(&dir.path().join("media/../media/x"), &media));
        assert!(!is_inside(&dir.path().join("backup"), &media));
        assert!(!is_inside(&dir.path().join("media-backup"), &media));
    }
}
