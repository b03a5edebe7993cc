//! Languages: Indonesian first, English second. Texts live in `locales/*/main.ftl` (Fluent),
//! read at compile time; templates call `fluent(key=…, lang=…)`.

use std::collections::HashMap;
use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "id",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that remembers the visitor's choice.
pub const LANG_COOKIE: &str = "lang";

/// Put in a request's extensions by `handlers::english_addresses` when it came under `/en`
/// (the English address of a page): the request is English whatever the cookie says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnglishByUrl;

/// The path an English address stands for: `/en` → `/`, `/en/produk/x` → `/produk/x`; None
/// for any other path (`/enxyz` included). `path` has no query.
pub fn english_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/en")?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

/// `path` (which may carry a query) without the `/en` of an English address; any other path
/// as it is.
pub fn unprefixed(path: &str) -> String {
    let (bare, query) = path.split_at(path.find('?').unwrap_or(path.len()));
    match english_path(bare) {
        Some(rest) => format!("{rest}{query}"),
        None => path.to_string(),
    }
}

/// Whether the request came under `/en`.
pub fn english_by_url(req: &HttpRequest) -> bool {
    req.extensions().contains::<EnglishByUrl>()
}

/// `/en` when the request came under `/en`, else nothing: what the address a handler sends
/// the visitor to (a redirect after a form) starts with, so an English visitor stays on
/// English addresses and everyone else on the plain ones.
pub fn url_prefix(req: &HttpRequest) -> &'static str {
    if english_by_url(req) {
        "/en"
    } else {
        ""
    }
}

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "id" | "id-id" | "in" => Some(Self::Id),
            "en" | "en-us" | "en-gb" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Id => Self::En,
            Self::En => Self::Id,
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Self::Id => fluent_templates::langid!("id"),
            Self::En => fluent_templates::langid!("en"),
        }
    }

    /// A message by key, for texts built in Rust (titles, descriptions).
    pub fn text(self, key: &str) -> String {
        LOCALES.lookup(&self.langid(), key)
    }

    pub fn text_with(self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES.lookup_with_args(&self.langid(), key, &args)
    }

    /// What the addresses of pages in this language start with: nothing for Indonesian,
    /// `/en` for English.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Self::Id => "",
            Self::En => "/en",
        }
    }

    /// The address of the page `path` (unprefixed, may carry a query) in this language:
    /// `/produk/x` → `/en/produk/x` in English, `/` → `/en/`.
    pub fn path(self, path: &str) -> String {
        format!("{}{path}", self.path_prefix())
    }

    /// The language of a request: an English address (`/en/…`) first, then `?lang=`, then the
    /// cookie, then Indonesian.
    pub fn of_request(req: &HttpRequest) -> Self {
        if english_by_url(req) {
            return Self::En;
        }
        let from_query = req
            .query_string()
            .split('&')
            .find_map(|pair| pair.strip_prefix("lang=").and_then(Lang::parse));
        from_query
            .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
            .unwrap_or_default()
    }
}

impl Lang {
    /// A moment as this language writes it, in `zone` ("6 Desember 2026, 14.05 WIB").
    pub fn date_time(self, ts: i64, zone: crate::domain::time::Zone) -> String {
        match self {
            Lang::Id => crate::domain::time::date_time_id(ts, zone),
            Lang::En => crate::domain::time::date_time_en(ts, zone),
        }
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::of_request(req)))
    }
}

/// Registers what every template set uses: `fluent(..)` and the date filters.
pub fn register(tera: &mut tera::Tera) {
    tera.register_function("fluent", FluentFunction);
    tera.register_filter("long_date", long_date_filter);
    tera.register_filter("date_range", date_range_filter);
}

fn is_en(args: &HashMap<String, tera::Value>) -> bool {
    args.get("lang").and_then(|v| v.as_str()) == Some("en")
}

/// `{{ "2030-03-19" | long_date(lang=lang) }}` → "19 Maret 2030"; anything that is not a date
/// is shown as it is.
fn long_date_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let iso = value.as_str().unwrap_or_default();
    Ok(tera::Value::String(
        crate::domain::time::long_date(iso, is_en(args)).unwrap_or_else(|| iso.to_string()),
    ))
}

/// `{{ starts_on | date_range(end=ends_on, lang=lang) }}` → "20–23 Desember 2026".
fn date_range_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let from = value.as_str().unwrap_or_default();
    let to = args.get("end").and_then(|v| v.as_str()).unwrap_or(from);
    Ok(tera::Value::String(
        crate::domain::time::date_range(from, to, is_en(args))
            .unwrap_or_else(|| format!("{from} – {to}")),
    ))
}

/// Messages without arguments, formatted once per language (Indonesian, English): a page asks
/// for a few dozen (the header and footer alone for twenty), always the same texts.
static PLAIN_MESSAGES: std::sync::LazyLock<[std::sync::RwLock<HashMap<String, String>>; 2]> =
    std::sync::LazyLock::new(Default::default);

/// The message `key` without arguments in `lang`, formatted once and then remembered (the keys
/// are the templates' own, a bounded set; past 10,000 nothing more is remembered).
fn plain_message(lang: Lang, key: &str) -> String {
    let kept = &PLAIN_MESSAGES[usize::from(lang == Lang::En)];
    if let Some(text) = kept.read().ok().and_then(|m| m.get(key).cloned()) {
        return text;
    }
    let text = LOCALES.lookup(&lang.langid(), key);
    if let Ok(mut m) = kept.write() {
        if m.len() < 10_000 {
            m.insert(key.to_string(), text.clone());
        }
    }
    text
}

/// The Tera function `fluent(key="…", lang="id", name=value…)`.
pub struct FluentFunction;

impl tera::Function for FluentFunction {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("fluent: missing `key`"))?;
        let lang = args
            .get("lang")
            .and_then(|v| v.as_str())
            .and_then(Lang::parse)
            .unwrap_or_default();
        let mut fluent_args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'static>> =
            HashMap::new();
        for (name, value) in args {
            if name == "key" || name == "lang" {
                continue;
            }
            let v = if let Some(n) = value.as_i64() {
                FluentValue::from(n)
            } else if let Some(n) = value.as_f64() {
                FluentValue::from(n)
            } else if let Some(s) = value.as_str() {
                FluentValue::from(s.to_string())
            } else {
                FluentValue::from(value.to_string())
            };
            fluent_args.insert(std::borrow::Cow::Owned(name.replace('_', "-")), v);
        }
        let text = if fluent_args.is_empty() {
            plain_message(lang, key)
        } else {
            LOCALES.lookup_with_args(&lang.langid(), key, &fluent_args)
        };
        Ok(tera::Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::{english_path, unprefixed, Lang};

    #[test]
    fn only_en_itself_or_a_path_under_it_is_an_english_address() {
        assert_eq!(english_path("/en"), Some("/"));
        assert_eq!(english_path("/en/"), Some("/"));
        assert_eq!(english_path("/en/produk/kopi"), Some("/produk/kopi"));
        assert_eq!(english_path("/enxyz"), None);
        assert_eq!(english_path("/produk/en"), None);
        assert_eq!(english_path("/"), None);
        assert_eq!(unprefixed("/en?q=1"), "/?q=1");
        assert_eq!(unprefixed("/en/cari?q=kopi"), "/cari?q=kopi");
        assert_eq!(unprefixed("/cari?q=/en"), "/cari?q=/en");
        assert_eq!(unprefixed("/entah"), "/entah");
        assert_eq!(Lang::En.path("/"), "/en/");
        assert_eq!(Lang::En.path("/produk/kopi"), "/en/produk/kopi");
        assert_eq!(Lang::Id.path("/produk/kopi"), "/produk/kopi");
    }

    #[test]
    fn both_languages_have_the_same_message_keys() {
        let keys = |path: &str| -> Vec<String> {
            let text = std::fs::read_to_string(path).unwrap();
            let mut keys: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
                .map(|l| l.split(" =").next().unwrap().trim().to_string())
                .collect();
            keys.sort();
            keys
        };
        assert_eq!(keys("locales/id/main.ftl"), keys("locales/en/main.ftl"));
    }
}
