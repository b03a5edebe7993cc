//! The layer check of `docs/architecture.md`: every `crate::` path in `src/` must point down
//! the layers, never up or sideways. It reads the source as text, so it fails on the first
//! import against the order, naming the file and the module it reached.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each top-level module may use of the crate, besides itself. Modules not listed here
/// (the crate root, `main`, `routes`, `startup`, `jobs`' wiring in `cli`) wire everything.
fn allowed(module: &str) -> Option<&'static [&'static str]> {
    const FOUNDATION: [&str; 3] = ["domain", "error", "i18n"];
    Some(match module {
        "domain" => &[],
        "error" | "i18n" => &["domain"],
        "db" => &["domain", "error"],
        "config" => &["domain", "error", "db"],
        "models" => &["domain", "db"],
        "search" => &["domain", "error", "config", "db", "models"],
        "services" => &[
            "domain", "error", "i18n", "config", "db", "models", "search",
        ],
        "workflows" => &[
            "domain", "error", "i18n", "config", "db", "models", "search", "services",
        ],
        "seed" => &["domain", "error", "config", "db", "models", "services"],
        "views" => &[
            "domain", "error", "i18n", "config", "models", "search", "services",
        ],
        "state" => &[
            "domain",
            "error",
            "i18n",
            "config",
            "db",
            "models",
            "search",
            "services",
            "workflows",
        ],
        "jobs" => &[
            "domain",
            "error",
            "config",
            "db",
            "models",
            "search",
            "services",
            "workflows",
            "state",
        ],
        // Handlers never reach the database layer: they go through models and workflows.
        "handlers" => &[
            "domain",
            "error",
            "i18n",
            "config",
            "models",
            "search",
            "services",
            "workflows",
            "views",
            "state",
        ],
        "telemetry" => &FOUNDATION,
        _ => return None,
    })
}

/// The audiences under `handlers/`: none of them may use another one.
const AUDIENCES: [&str; 7] = [
    "public",
    "staff",
    "review",
    "organizer",
    "admin",
    "oversight",
    "webhooks",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments (doc comments name other layers in prose).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string ("http://...") is kept: only whole-line and trailing
            // comments after code that holds no quote are dropped.
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segments a file reaches through `crate::`: `crate::models::x` gives
/// `models`, `crate::{db::Pool, error::AppError}` gives `db` and `error`. Each comes with the
/// second segment when there is one (`handlers::staff`).
fn crate_paths(code: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::` in a macro, or a longer name ending in "crate"
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::b, c}`: the top-level names of the group.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_path(&mut out, item.trim(), &ident);
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            push_path(&mut out, item.trim(), &ident);
        } else {
            push_path(&mut out, rest, &ident);
        }
    }
    out
}

fn push_path(out: &mut BTreeSet<(String, String)>, path: &str, ident: &dyn Fn(&str) -> String) {
    let first = ident(path);
    if first.is_empty() {
        return;
    }
    let second = path[first.len()..]
        .strip_prefix("::")
        .map(ident)
        .unwrap_or_default();
    out.insert((first, second));
}

/// Every import against the layer order, as "file: uses module".
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.strip_prefix(src).ok())
        .filter_map(|rel| {
            let first = rel.components().next()?.as_os_str().to_str()?;
            Some(first.trim_end_matches(".rs").to_string())
        })
        .collect();
    let mut found = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(src).unwrap();
        let parts: Vec<&str> = rel
            .components()
            .map(|c| c.as_os_str().to_str().unwrap().trim_end_matches(".rs"))
            .collect();
        let module = parts[0];
        let Some(may_use) = allowed(module) else {
            continue;
        };
        let audience = (module == "handlers" && parts.len() > 2)
            .then(|| parts[1])
            .filter(|a| AUDIENCES.contains(a));
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for (first, second) in crate_paths(&code) {
            // Only modules count: macros exported at the root (`crate::on_backend!`) do not.
            if !modules.contains(&first) || first == module && audience.is_none() {
                continue;
            }
            if first == module {
                // Inside `handlers`: one audience never uses another.
                if AUDIENCES.contains(&second.as_str()) && Some(second.as_str()) != audience {
                    found.push(format!("{}: uses handlers::{second}", rel.display()));
                }
                continue;
            }
            if !may_use.contains(&first.as_str()) {
                found.push(format!("{}: uses {first}", rel.display()));
            }
        }
    }
    found
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "imports against the layer order of docs/architecture.md:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_layer_check_catches_an_upward_import_a_sideways_one_and_grouped_paths() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    for (path, text) in [
        ("domain/mod.rs", "pub struct A;"),
        ("db/mod.rs", "use crate::domain::A;"),
        (
            "models/order.rs",
            "// crate::services in a comment is fine\nuse crate::{db::Pool, services::mail::Mail};",
        ),
        ("services/mod.rs", "use crate::models::order;"),
        (
            "handlers/public/cart.rs",
            "use crate::handlers::staff::csrf;",
        ),
        (
            "handlers/staff/mod.rs",
            "use crate::handlers::current_path;",
        ),
        (
            "handlers/health.rs",
            "fn f(c: &mut crate::db::DbConnection) {}",
        ),
        ("lib.rs", "pub mod domain; crate::on_backend!(x);"),
    ] {
        let file = src.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    assert_eq!(
        violations(src),
        vec![
            "handlers/health.rs: uses db".to_string(),
            "handlers/public/cart.rs: uses handlers::staff".to_string(),
            "models/order.rs: uses services".to_string(),
        ]
    );
}

/// Lines of the files under `src/<dir>` (comments dropped) that contain `needle`, as
/// "file:line".
fn lines_with(dir: &str, needle: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root.join(dir), &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for (i, line) in code.lines().enumerate() {
            if line.contains(needle) {
                let rel = file.strip_prefix(&root).unwrap().display().to_string();
                found.push(format!("{rel}:{}", i + 1));
            }
        }
    }
    found
}

#[test]
fn handlers_hand_pages_typed_view_models_never_hand_built_data() {
    for needle in ["ctx.insert(", "json!("] {
        let found = lines_with("handlers", needle);
        assert!(found.is_empty(), "{needle} in handlers: {found:?}");
    }
}

#[test]
fn statuses_are_typed_and_nothing_hides_in_thread_locals() {
    let found = lines_with("models", "status: String");
    assert!(found.is_empty(), "untyped statuses: {found:?}");
    let found = lines_with("", "thread_local!");
    assert!(found.is_empty(), "thread-locals: {found:?}");
}
