//! `etalase serve [--no-jobs] | worker | migrate | seed | reindex | expire-documents | rollup | backup | restore | user | units`.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use etalase::config::Settings;
use etalase::error::AppError;
use etalase::jobs::{Jobs, Role};
use etalase::models::{catalog, now_ts, product, unit, user};
use etalase::search::SearchError;
use etalase::seed::{self, DemoOptions};
use etalase::services::{backup, indexer};
use etalase::startup::{connect_and_migrate, Application};

#[derive(Parser)]
#[command(
    name = "etalase",
    version,
    about = "Etalase: the shop of products made in Indonesia's correctional units"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, seed demo data when the database is empty, and serve (the default).
    Serve {
        /// Do not seed demo data into an empty database.
        #[arg(long)]
        no_seed: bool,
        /// Products to seed into an empty database.
        #[arg(long, default_value_t = 3000)]
        products: usize,
        /// Serve the web only: mail, payment expiry and the daily jobs are left to
        /// `etalase worker` (several web instances, one worker, one database).
        #[arg(long)]
        no_jobs: bool,
    },
    /// Run the background jobs only (mail, payment expiry, daily jobs, the Meilisearch
    /// indexer) against the database, for web instances started with `serve --no-jobs`.
    Worker,
    /// Apply pending database migrations.
    Migrate,
    /// Seed demo data into an empty database.
    Seed {
        /// Demo data (the only kind for now).
        #[arg(long)]
        demo: bool,
        #[arg(long, default_value_t = 3000)]
        products: usize,
        #[arg(long, default_value_t = 600)]
        units: usize,
        #[arg(long, default_value_t = 2025)]
        seed: u64,
    },
    /// Rebuild the whole search index from the database and print how long it took. When a
    /// running server holds the embedded index, every product is queued for it instead.
    Reindex,
    /// Run the daily document job now: mark expired documents, email expiry reminders.
    ExpireDocuments,
    /// Rebuild the daily sales roll-ups that the impact page, the open data and the oversight
    /// dashboard read, day by day (in WIB), then refresh the oversight dashboard's per-unit
    /// snapshot (legal documents, brands, products by category); print how long each took.
    Rollup {
        /// The first day to rebuild (YYYY-MM-DD); by default the first day anything sold.
        #[arg(long)]
        from: Option<String>,
        /// The last day to rebuild (YYYY-MM-DD); by default today.
        #[arg(long)]
        to: Option<String>,
    },
    /// Add paid orders straight into the database, bypassing checkout, for load benchmarks:
    /// about LINES order lines over the last DAYS days, spread over the published products.
    #[command(hide = true)]
    SeedOrders {
        #[arg(long, default_value_t = 200_000)]
        lines: usize,
        #[arg(long, default_value_t = 365)]
        days: u32,
        #[arg(long, default_value_t = 2025)]
        seed: u64,
    },
    /// Back the shop up into PATH: a consistent copy of the SQLite database taken while the
    /// shop runs, the media folder and the documents folder. On PostgreSQL: the two folders,
    /// and the pg_dump command to run for the database.
    Backup {
        /// An empty or new folder.
        path: PathBuf,
    },
    /// Restore a backup folder: the database, media and documents. Refuses to replace a
    /// SQLite database that a running server has open, unless --force.
    Restore {
        path: PathBuf,
        /// Replace the database even when another process has it open.
        #[arg(long)]
        force: bool,
    },
    /// Print the paths of published product pages (for load benchmarks).
    #[command(hide = true)]
    BenchPaths {
        #[arg(long, default_value_t = 2000)]
        products: i64,
    },
    /// Manage staff and administrator accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// The units registry.
    Units {
        #[command(subcommand)]
        action: UnitsAction,
    },
}

#[derive(Subcommand)]
enum UnitsAction {
    /// Import the official list of units from a CSV file with the columns nama, jenis, kelas,
    /// provinsi, kota, alamat, telepon (the province by name or ISO code). Every line is
    /// printed with what it does: a new unit, the fields of a registered unit (matched by name
    /// and province) that change, or what is wrong with it. The file is applied only when no
    /// line is wrong, all at once; otherwise nothing changes and the command fails.
    Import {
        /// The CSV file (UTF-8, separated by commas or semicolons).
        file: PathBuf,
        /// Check the file and print its lines; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The language of the lines printed: id or en.
        #[arg(long, default_value = "id")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Create an account. The password is read from the first line of standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin | reviewer | staff | organizer | observer
        #[arg(long)]
        role: String,
        /// Unit slug (required for staff).
        #[arg(long)]
        unit: Option<String>,
        /// Province ISO code such as ID-JB (optional, scopes a reviewer or an observer to it).
        #[arg(long)]
        province: Option<String>,
    },
}

/// Rust's allocations go to mimalloc: page rendering allocates and frees many small values,
/// which glibc's malloc served at about a quarter of a listing's CPU (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let _ = dotenvy::dotenv();
    limit_malloc_arenas();
    etalase::telemetry::init();
    if let Err(e) = run() {
        eprintln!("etalase: {e}");
        std::process::exit(1);
    }
}

/// glibc's malloc still serves the C libraries (SQLite, libpq). It gives each thread that
/// allocates under contention an arena of its own, up to eight per core, and keeps what each
/// arena once held: under sustained load (bench/soak.sh), when it also served Rust, the
/// server's resident memory was 290 MB with the default and 104 MB with two arenas, at the same
/// throughput. Two, unless the operator set `MALLOC_ARENA_MAX` (which glibc reads itself).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes allocator tuning; it is called before any other thread
        // exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// The demo shop's placeholder photos, drawn into the media store the settings name (the
/// folder, or the bucket's `media/`) unless they are there.
fn demo_photos(settings: &Settings) -> Result<seed::DemoPhotos, AppError> {
    let media = etalase::services::media::open(settings)?.media;
    actix_web::rt::System::new().block_on(seed::demo_photos(&media))
}

fn run() -> Result<(), AppError> {
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    match cli.command.unwrap_or(Command::Serve {
        no_seed: false,
        products: DemoOptions::default().products,
        no_jobs: false,
    }) {
        Command::Serve {
            no_seed,
            products,
            no_jobs,
        } => {
            // Several instances on one PostgreSQL database must read each other's session
            // cookies: each one making up its own key would sign visitors out at random.
            if !settings.database_url.is_sqlite() && std::env::var_os("SESSION_KEY").is_none() {
                return Err(AppError::Config(
                    "on PostgreSQL set SESSION_KEY (128 or more hex characters, the same on \
                     every instance); `openssl rand -hex 64` makes one"
                        .into(),
                ));
            }
            let pool = connect_and_migrate(&settings)?;
            // Units and addresses need the provinces, with demo data or without; products
            // need the legal status rules (the defaults until an administrator edits them).
            seed::ensure_provinces(&mut *pool.get()?)?;
            seed::ensure_legal_rules(&mut *pool.get()?)?;
            if !no_seed {
                let mut conn = pool.get()?;
                if product::count_all(&mut conn)? == 0 {
                    tracing::info!(products, "empty database: seeding demo data");
                    let report = seed::seed_demo(
                        &mut conn,
                        &demo_photos(&settings)?,
                        &DemoOptions {
                            products,
                            ..DemoOptions::default()
                        },
                    )?;
                    tracing::info!(?report, "demo data ready");
                }
            }
            first_run_hints(&mut *pool.get()?)?;
            let app = Application::build(settings.clone(), pool)?;
            tracing::info!(
                "Etalase listening on http://{}:{}",
                settings.host,
                app.port()
            );
            let role = if no_jobs {
                Role::WebOnly
            } else {
                Role::WebAndJobs
            };
            actix_web::rt::System::new().block_on(async {
                if let Some(why) = app.state.search.refuses_access().await {
                    return Err(AppError::Config(why));
                }
                // A bucket that is missing or refuses the keys stops start-up here, not at the
                // first upload.
                app.state.media.check().await.map_err(AppError::Config)?;
                app.run_as(role).await.map_err(AppError::internal)
            })
        }
        Command::Worker => {
            let pool = connect_and_migrate(&settings)?;
            let jobs = Jobs::open(&settings, pool)?;
            let metrics_pool = jobs.db.clone();
            actix_web::rt::System::new().block_on(async {
                if let (Some(token), Some(addr)) = (&settings.metrics_token, &settings.metrics_addr)
                {
                    let server = etalase::handlers::metrics::worker_server(
                        addr,
                        token.clone(),
                        etalase::services::metrics::PoolMetrics::new(metrics_pool),
                    )
                    .map_err(|e| AppError::Config(format!("METRICS_ADDR {addr}: {e}")))?;
                    tracing::info!(%addr, "worker metrics on /metrics");
                    actix_web::rt::spawn(server);
                }
                if let Some(engine) = &jobs.search {
                    if let Some(why) = engine.refuses_access().await {
                        return Err(AppError::Config(why));
                    }
                }
                tracing::info!("Etalase worker started");
                etalase::jobs::run_worker(jobs).await;
                Ok(())
            })
        }
        Command::Migrate => {
            let pool = etalase::db::build_pool(&settings.database_url, 1)?;
            let applied = etalase::db::run_migrations(&mut *pool.get()?)?;
            println!("{applied} migration(s) applied");
            Ok(())
        }
        Command::Seed {
            demo,
            products,
            units,
            seed: seed_value,
        } => {
            if !demo {
                return Err(AppError::BadRequest("say --demo to seed demo data".into()));
            }
            let pool = connect_and_migrate(&settings)?;
            let started = std::time::Instant::now();
            let report = seed::seed_demo(
                &mut *pool.get()?,
                &demo_photos(&settings)?,
                &DemoOptions {
                    products,
                    units,
                    seed: seed_value,
                },
            )?;
            println!(
                "seeded {} provinces, {} units, {} products, {} documents in {:.1}s",
                report.provinces,
                report.units,
                report.products,
                report.certifications,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Reindex => {
            let pool = connect_and_migrate(&settings)?;
            match etalase::search::open_engine(&settings) {
                Ok(opened) => {
                    let engine = opened.engine;
                    let (n, took) = actix_web::rt::System::new()
                        .block_on(async { indexer::reindex(&pool, &engine).await })?;
                    println!(
                        "reindexed {n} products with the {} engine in {:.2}s",
                        engine.name(),
                        took.as_secs_f64()
                    );
                }
                Err(AppError::Search(SearchError::Unavailable(why))) => {
                    let mut conn = pool.get()?;
                    let n = indexer::queue_everything(&mut conn)?;
                    println!("{why}: queued {n} products for the running server to reindex");
                }
                Err(e) => return Err(e),
            }
            Ok(())
        }
        Command::ExpireDocuments => {
            let pool = connect_and_migrate(&settings)?;
            let mailer = etalase::services::mail::Mailer::new(
                settings.data_dir.join("mail-outbox"),
                settings.smtp_url.as_deref(),
            )?;
            let mut conn = pool.get()?;
            let templates = etalase::services::mail::MailTemplates::load(settings.bank.clone())?;
            let report = etalase::services::expiry::run(
                &mut conn,
                chrono::Utc::now().date_naive(),
                &templates,
            )?;
            etalase::services::mail::deliver_due(&mut conn, &mailer)?;
            println!(
                "{} products lost an expired badge; {} reminders written to {}",
                report.products_affected,
                report.reminders_sent,
                mailer.outbox().display()
            );
            Ok(())
        }
        Command::Rollup { from, to } => rollup(&settings, from.as_deref(), to.as_deref()),
        Command::SeedOrders {
            lines,
            days,
            seed: seed_value,
        } => {
            let pool = connect_and_migrate(&settings)?;
            let started = std::time::Instant::now();
            let report = seed::seed_orders(
                &mut *pool.get()?,
                &seed::BulkOrders {
                    lines,
                    days,
                    seed: seed_value,
                },
            )?;
            println!(
                "seeded {} paid orders with {} lines in {:.1}s",
                report.orders,
                report.lines,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Backup { path } => {
            println!(
                "{}",
                backup::backup(&settings, &path)?.to_string().trim_end()
            );
            Ok(())
        }
        Command::Restore { path, force } => {
            println!(
                "{}",
                backup::restore(&settings, &path, force)?
                    .to_string()
                    .trim_end()
            );
            Ok(())
        }
        Command::BenchPaths { products } => {
            let pool = etalase::db::build_pool(&settings.database_url, 1)?;
            for slug in product::published_slugs(&mut *pool.get()?, products)? {
                println!("/produk/{slug}");
            }
            Ok(())
        }
        Command::User {
            action:
                UserAction::Create {
                    email,
                    name,
                    role,
                    unit,
                    province,
                },
        } => {
            let pool = connect_and_migrate(&settings)?;
            let mut conn = pool.get()?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(AppError::internal)?;
            let password = password.trim_end_matches(['\r', '\n']);
            let unit_id = match unit {
                Some(slug) => Some(etalase::models::unit::unit_by_slug(&mut conn, &slug)?.0.id),
                None => None,
            };
            let province_id = match province {
                Some(iso) => Some(
                    catalog::all_provinces(&mut conn)?
                        .into_iter()
                        .find(|p| p.iso_code == iso)
                        .ok_or_else(|| AppError::BadRequest(format!("unknown province {iso}")))?
                        .id,
                ),
                None => None,
            };
            let new = user::new_account(
                &email,
                &name,
                &role,
                password,
                unit_id,
                province_id,
                now_ts(),
            )
            .map_err(AppError::BadRequest)?;
            if user::email_taken(&mut conn, &new.email)? {
                return Err(AppError::BadRequest(format!(
                    "{} already has an account",
                    new.email
                )));
            }
            let id = user::insert_user(&mut conn, &new)?;
            println!("created {} account #{id} for {}", new.role, new.email);
            Ok(())
        }
        Command::Units {
            action:
                UnitsAction::Import {
                    file,
                    dry_run,
                    lang,
                },
        } => import_units(&settings, &file, dry_run, &lang),
    }
}

/// `etalase rollup [--from DAY] [--to DAY]`: the daily roll-ups of those days made again, then
/// the oversight dashboard's per-unit snapshot refreshed.
fn rollup(settings: &Settings, from: Option<&str>, to: Option<&str>) -> Result<(), AppError> {
    use etalase::domain::impact::{day_text, days_between, parse_day, wib_day};
    use etalase::models::rollup;
    let day = |flag: &str, raw: &str| {
        parse_day(raw)
            .ok_or_else(|| AppError::BadRequest(format!("{flag} {raw}: not a day (YYYY-MM-DD)")))
    };
    let pool = connect_and_migrate(settings)?;
    let mut conn = pool.get()?;
    let today = wib_day(now_ts()).ok_or_else(|| AppError::Internal("no date today".into()))?;
    let to = match to {
        Some(raw) => day("--to", raw)?,
        None => today,
    };
    let from = match from {
        Some(raw) => day("--from", raw)?,
        None => rollup::first_sale_day(&mut conn)?.unwrap_or(today).min(to),
    };
    let started = std::time::Instant::now();
    let rows = rollup::rollup_since(&mut conn, &day_text(from), &day_text(to))?;
    let took = started.elapsed().as_secs_f64();
    let days = days_between(from, to).count();
    println!(
        "rolled up {days} day(s) from {} to {}: {rows} unit-day rows in {took:.3}s",
        day_text(from),
        day_text(to)
    );
    if days > 1 {
        // A rebuild of many days is a bulk write: PostgreSQL's planner learns the new sizes.
        etalase::db::refresh_statistics(&mut conn)?;
    }
    let started = std::time::Instant::now();
    let units = etalase::models::oversight::refresh_snapshot(&mut conn, today)?;
    println!(
        "oversight snapshot of {units} unit(s) refreshed as of {} (took {:.3} seconds)",
        day_text(today),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// On a database without an administrator or without units, says how to make the first ones
/// (`etalase serve --no-seed` on a new production database).
fn first_run_hints(conn: &mut etalase::models::DbConnection) -> Result<(), AppError> {
    if user::count_admins(conn)? == 0 {
        tracing::info!(
            "no administrator yet: create the first one with `etalase user create --email \
             admin@example.go.id --name \"Admin Direktorat\" --role admin` (the password is \
             read from the first line of standard input), then sign in at /masuk and invite \
             the other accounts at /kelola/akun"
        );
    }
    if unit::registered_count(conn)? == 0 {
        tracing::info!(
            "no units yet: check the official list with `etalase units import units.csv \
             --dry-run`, then import it with `etalase units import units.csv` (columns {}; \
             the province by name or ISO code), or as an administrator at \
             /kelola/daftar-unit/impor",
            etalase::domain::units::CSV_COLUMNS.join(",")
        );
    }
    Ok(())
}

/// `etalase units import FILE [--dry-run]`: the lines of the plan as the web's dry run shows
/// them, then the counts; applied only when no line is wrong and `--dry-run` is not given.
fn import_units(
    settings: &Settings,
    file: &std::path::Path,
    dry_run: bool,
    lang: &str,
) -> Result<(), AppError> {
    use etalase::domain::units::{file_problem_key, read_csv};
    use etalase::views::staff::{ImportCounts, ImportLineView};
    let lang = etalase::i18n::Lang::parse(lang)
        .ok_or_else(|| AppError::BadRequest(format!("unknown language `{lang}`: use id or en")))?;
    let bytes = std::fs::read(file)
        .map_err(|e| AppError::BadRequest(format!("cannot read {}: {e}", file.display())))?;
    let rows = read_csv(&bytes).map_err(|problem| {
        let missing = match &problem {
            etalase::domain::import::FileProblem::MissingColumns(m) => format!(" {}", m.join(", ")),
            _ => String::new(),
        };
        AppError::BadRequest(format!(
            "{}{missing}",
            lang.text(file_problem_key(&problem))
        ))
    })?;
    let pool = connect_and_migrate(settings)?;
    let mut conn = pool.get()?;
    seed::ensure_provinces(&mut conn)?;
    let (plan, applied) = if dry_run {
        (unit::plan_import(&mut conn, &rows)?, false)
    } else {
        unit::apply_import(&mut conn, &rows, None)?
    };
    for line in &plan.lines {
        println!("{}", ImportLineView::new(lang, line).text(lang));
    }
    println!("{}", ImportCounts::of(&plan).summary(lang));
    if !plan.is_clean() {
        return Err(AppError::BadRequest(lang.text("units-import-cli-refused")));
    }
    println!(
        "{}",
        lang.text(if applied {
            "units-import-cli-applied"
        } else {
            "units-import-cli-dry-run"
        })
    );
    Ok(())
}
