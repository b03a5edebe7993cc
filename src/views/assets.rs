//! Fingerprinted addresses of the static files: `{{ asset(path="css/site.css") }}` gives
//! `/static/css/site.css?v=<first 10 hex of its SHA-256>`. The content decides the address, so
//! a versioned address is served with a one-year immutable cache (`routes`), and a changed file
//! is fetched again at once under its new address.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

pub struct AssetFunction {
    versions: HashMap<String, String>,
}

impl AssetFunction {
    /// Reads every file under `static_dir` once (a few small files).
    pub fn load(static_dir: &Path) -> Self {
        let mut versions = HashMap::new();
        let mut pending = vec![static_dir.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if let (Ok(bytes), Ok(relative)) =
                    (std::fs::read(&path), path.strip_prefix(static_dir))
                {
                    let hex = crate::domain::to_hex(&Sha256::digest(&bytes)[..5]);
                    versions.insert(relative.to_string_lossy().replace('\\', "/"), hex);
                }
            }
        }
        Self { versions }
    }

    /// The address of `path` (relative to the static folder), versioned when the file exists.
    pub fn url(&self, path: &str) -> String {
        let path = path.trim_start_matches('/');
        match self.versions.get(path) {
            Some(v) => format!("/static/{path}?v={v}"),
            None => format!("/static/{path}"),
        }
    }
}

impl tera::Function for AssetFunction {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("asset: missing `path`"))?;
        Ok(tera::Value::String(self.url(path)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_file_is_addressed_by_its_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("css")).unwrap();
        std::fs::write(dir.path().join("css/site.css"), "body{}").unwrap();
        let first = AssetFunction::load(dir.path()).url("css/site.css");
        assert!(first.starts_with("/static/css/site.css?v="), "{first}");
        assert_eq!(first.len(), "/static/css/site.css?v=".len() + 10);
        std::fs::write(dir.path().join("css/site.css"), "body{color:red}").unwrap();
        let second = AssetFunction::load(dir.path()).url("css/site.css");
        assert_ne!(first, second, "a changed file gets a new address");
        assert_eq!(
            AssetFunction::load(dir.path()).url("js/missing.js"),
            "/static/js/missing.js"
        );
    }
}
