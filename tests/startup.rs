//! Start-up, configuration, migrations and demo data.

use crate::support;

use std::process::Command;

use diesel::prelude::*;
use etalase::db::schema::{products, provinces, units};

fn run_etalase(
    args: &[&str],
    database_url: &str,
    data_dir: &std::path::Path,
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_etalase"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", data_dir)
        .env("PORT", "0")
        .output()
        .expect("run etalase")
}

#[test]
fn a_database_url_with_an_unknown_scheme_stops_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_etalase(&["serve"], "mysql://root@localhost/etalase", dir.path());
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported scheme `mysql`"), "{err}");
}

#[test]
fn serving_on_postgresql_without_a_session_key_stops_start_up_saying_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_etalase"))
        .args(["serve", "--no-seed"])
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/etalase")
        .env("DATA_DIR", dir.path())
        .env("PORT", "0")
        .env_remove("SESSION_KEY")
        .output()
        .expect("run etalase");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("set SESSION_KEY"), "{err}");
    assert!(err.contains("openssl rand -hex 64"), "{err}");
}

#[test]
fn an_unreachable_postgres_server_stops_start_up_naming_the_connection_problem() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_etalase(
        &["migrate"],
        "postgres://postgres@127.0.0.1:1/etalase",
        dir.path(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot connect to the database"), "{err}");
    assert!(
        err.contains("127.0.0.1"),
        "the message names the server: {err}"
    );
}

#[test]
fn migrations_exist_under_the_same_names_for_sqlite_and_postgres() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let sqlite = names("migrations/sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("migrations/postgres"));
    for name in sqlite {
        for backend in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = format!("migrations/{backend}/{name}/{file}");
                assert!(std::path::Path::new(&path).is_file(), "{path} exists");
            }
        }
    }
}

#[test]
fn the_cli_migrates_seeds_and_refuses_to_seed_twice() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db", dir.path().display());
    let out = run_etalase(&["migrate"], &url, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_etalase(
        &["seed", "--demo", "--products", "120", "--units", "80"],
        &url,
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("120 products"));
    let again = run_etalase(&["seed", "--demo", "--products", "10"], &url, dir.path());
    assert!(!again.status.success());
}

#[actix_web::test]
async fn demo_data_has_all_provinces_about_six_hundred_units_and_is_deterministic() {
    let opts = etalase::seed::DemoOptions {
        products: 300,
        units: 600,
        seed: 11,
    };
    let a = support::TestApp::spawn_with(Some(opts.clone())).await;
    let b = support::TestApp::spawn_with(Some(opts)).await;
    let count_provinces: i64 = provinces::table.count().get_result(&mut *a.conn()).unwrap();
    assert_eq!(count_provinces, 38);
    let count_units: i64 = units::table.count().get_result(&mut *a.conn()).unwrap();
    assert_eq!(count_units, 600);
    let load = |app: &support::TestApp| -> Vec<(String, i64, i32)> {
        products::table
            .order(products::slug)
            .select((products::slug, products::price, products::stock))
            .load(&mut *app.conn())
            .unwrap()
    };
    let (pa, pb) = (load(&a), load(&b));
    assert_eq!(pa.len(), 300);
    assert_eq!(pa, pb);
}

#[test]
fn user_create_stores_an_argon2id_hash_and_refuses_bad_accounts() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/users.db", dir.path().display());
    let create = |args: &[&str], password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_etalase"))
            .args(["user", "create"])
            .args(args)
            .env("DATABASE_URL", &url)
            .env("DATA_DIR", dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let admin = [
        "--email",
        "Admin@Etalase.id",
        "--name",
        "Admin",
        "--role",
        "admin",
    ];
    let ok = create(&admin, "kata-sandi-rahasia");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let again = create(&admin, "kata-sandi-rahasia");
    assert!(!again.status.success(), "the same email twice is refused");
    let short = create(
        &["--email", "b@etalase.id", "--name", "B", "--role", "admin"],
        "pendek",
    );
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10"));
    let staff = create(
        &["--email", "c@etalase.id", "--name", "C", "--role", "staff"],
        "kata-sandi-rahasia",
    );
    assert!(String::from_utf8_lossy(&staff.stderr).contains("--unit"));

    let pool = etalase::db::build_pool(&etalase::db::DatabaseUrl::parse(&url).unwrap(), 1).unwrap();
    let hash: String = etalase::db::schema::users::table
        .filter(etalase::db::schema::users::email.eq("admin@etalase.id"))
        .select(etalase::db::schema::users::password_hash)
        .first(&mut *pool.get().unwrap())
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[test]
fn units_import_on_the_command_line_prints_every_line_dry_runs_and_applies_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/units.db", dir.path().display());
    let good = dir.path().join("unit.csv");
    std::fs::write(&good, support::THREE_UNITS_CSV).unwrap();
    let good = good.to_str().unwrap();
    let count = || -> i64 {
        let pool =
            etalase::db::build_pool(&etalase::db::DatabaseUrl::parse(&url).unwrap(), 1).unwrap();
        units::table
            .count()
            .get_result(&mut *pool.get().unwrap())
            .unwrap()
    };
    let text = |out: &std::process::Output| {
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let dry = run_etalase(&["units", "import", good, "--dry-run"], &url, dir.path());
    let (out, err) = text(&dry);
    assert!(dry.status.success(), "{err}");
    for line in [
        "baris 2: baru — Lapas Kelas IIB Uji Satu (Jawa Barat)",
        "baris 3: baru — Rutan Kelas IIA Uji Dua (Jawa Tengah)",
        "baris 4: baru — Bapas Kelas I Uji Tiga (Bali)",
        "3 unit baru, 0 berubah, 0 tetap, 0 baris salah.",
        "Uji coba: tidak ada yang diubah.",
    ] {
        assert!(out.contains(line), "{line} in {out}");
    }
    assert_eq!(count(), 0, "a dry run changes nothing");
    let pool = etalase::db::build_pool(&etalase::db::DatabaseUrl::parse(&url).unwrap(), 1).unwrap();
    let province_count: i64 = provinces::table
        .count()
        .get_result(&mut *pool.get().unwrap())
        .unwrap();
    drop(pool);
    assert_eq!(province_count, 38, "a new database gets the provinces");

    let applied = run_etalase(&["units", "import", good], &url, dir.path());
    let (out, err) = text(&applied);
    assert!(applied.status.success(), "{err}");
    assert!(out.contains("Diterapkan."), "{out}");
    assert_eq!(count(), 3);

    let again = run_etalase(
        &["units", "import", good, "--dry-run", "--lang", "en"],
        &url,
        dir.path(),
    );
    let (out, _) = text(&again);
    assert!(again.status.success());
    assert!(
        out.contains("line 3: unchanged — Rutan Kelas IIA Uji Dua (Jawa Tengah)"),
        "{out}"
    );

    let bad = dir.path().join("salah.csv");
    std::fs::write(
        &bad,
        "nama,jenis,kelas,provinsi,kota,alamat\n\
         Lapas Kelas III Uji Lima,Lapas,III,ID-JB,Kota Lima,Jl. Lima No. 5\n\
         Penjara Uji Empat,penjara,IIA,Atlantis,Kota Empat,Jl. Empat No. 4\n",
    )
    .unwrap();
    let refused = run_etalase(
        &["units", "import", bad.to_str().unwrap()],
        &url,
        dir.path(),
    );
    let (out, err) = text(&refused);
    assert!(!refused.status.success(), "a bad line fails the command");
    assert!(
        out.contains("baris 3: salah — Penjara Uji Empat (Atlantis): Pilih jenis unit"),
        "{out}"
    );
    assert!(err.contains("Tidak ada yang diimpor"), "{err}");
    assert_eq!(count(), 3, "not even the right line is imported");
}

#[test]
fn serving_an_empty_database_without_demo_data_says_how_to_create_the_first_administrator_and_import_units(
) {
    use std::io::BufRead;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_etalase"))
        .args(["serve", "--no-seed"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/first.db", dir.path().display()),
        )
        .env("DATA_DIR", dir.path())
        .env("PORT", "0")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .env_remove("LOG_FORMAT")
        .env_remove("MEILI_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start etalase");
    let stdout = child.stdout.take().unwrap();
    let (lines, seen_lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = String::new();
    while !seen.contains("Etalase listening on") {
        match seen_lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.contains(
            "`etalase user create --email admin@example.go.id --name \"Admin Direktorat\" --role admin`"
        ),
        "{seen}"
    );
    assert!(
        seen.contains("`etalase units import units.csv --dry-run`"),
        "{seen}"
    );
    assert!(seen.contains("/kelola/daftar-unit/impor"), "{seen}");
}
