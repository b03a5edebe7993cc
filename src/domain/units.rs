//! The units registry: the administrators' unit form (name, kind, class, province, city,
//! address, phone and the revenue split), the list's filters, and the CSV import of the
//! official list of units, read as a whole and then planned line by line against the units
//! already registered (a new unit, the changed fields of a registered one, or what is wrong
//! with the line) before anything is saved. Also the review of what a unit's staff change of
//! its public profile (brand, story, logo, banner): it waits for a reviewer's decision.

use super::import::FileProblem;
use super::{FieldErrors, RevenueSplit, UnitKind};

/// A province as units name it: by id (the form's select), ISO code or name (the CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceRef {
    pub id: i32,
    pub iso_code: String,
    pub name: String,
}

/// A name as units are matched by: case and spacing do not tell two names apart.
pub fn name_key(name: &str) -> String {
    collapse(name).to_lowercase()
}

/// Text with its runs of white space made one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The province `raw` names: its ISO code (`ID-JB`, or `JB` without the country) or its name
/// (`Jawa Barat`), in any case.
pub fn find_province<'a>(raw: &str, provinces: &'a [ProvinceRef]) -> Option<&'a ProvinceRef> {
    let key = name_key(raw);
    if key.is_empty() {
        return None;
    }
    provinces.iter().find(|p| {
        let iso = p.iso_code.to_lowercase();
        iso == key || iso.strip_prefix("id-") == Some(key.as_str()) || name_key(&p.name) == key
    })
}

/// A unit's class as stored: `IIA` from `IIA`, `iia` or `Kelas IIA`; one to six letters and
/// digits.
pub fn class_code(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let without_word = match trimmed.get(..5) {
        Some(word) if word.eq_ignore_ascii_case("kelas") => trimmed[5..].trim(),
        _ => trimmed,
    };
    let code = without_word.to_uppercase();
    ((1..=6).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(code)
}

/// A phone number as stored: digits, spaces, `+` and `-`, at most 30 characters (brackets
/// around an area code are dropped: `(0274) 512 345` is `0274 512 345`). Empty is allowed.
pub fn phone_number(raw: &str) -> Option<String> {
    let without_brackets: String = raw.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    let phone = collapse(&without_brackets);
    (phone.len() <= 30
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-')))
    .then_some(phone)
}

/// The revenue split typed as three whole percentages (`35` or `35%`) for wages, PNBP and
/// capital; the key of the message saying what is wrong otherwise: a share that is not a whole
/// number from 0 to 100, or shares that do not add up to 100.
pub fn split_from_text(
    wage: &str,
    pnbp: &str,
    capital: &str,
) -> Result<RevenueSplit, &'static str> {
    let share = |raw: &str| {
        raw.trim()
            .trim_end_matches('%')
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (0..=100).contains(n))
    };
    match (share(wage), share(pnbp), share(capital)) {
        (Some(w), Some(p), Some(c)) => {
            RevenueSplit::new(w, p, c).map_err(|_| "units-error-split-sum")
        }
        _ => Err("units-error-split-number"),
    }
}

/// A unit form as typed, kept as text so a form with errors shows what was typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct UnitForm {
    #[serde(default)]
    pub name: String,
    /// A kind code (`lapas`, `rutan`, `lpka`, `bapas`).
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub class: String,
    /// The province (Kanwil) by id.
    #[serde(default)]
    pub province_id: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub wage_pct: String,
    #[serde(default)]
    pub pnbp_pct: String,
    #[serde(default)]
    pub capital_pct: String,
}

/// What the registry says about a unit, checked (everything but its split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDetails {
    pub name: String,
    pub kind: UnitKind,
    pub class: String,
    pub province_id: i32,
    pub city: String,
    /// Its address, where parcels are picked up.
    pub address: String,
    pub phone: String,
}

/// A unit form that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDraft {
    pub details: UnitDetails,
    pub split: RevenueSplit,
}

impl UnitForm {
    /// An empty form for a new unit, its split filled with the default.
    pub fn new_unit() -> Self {
        Self::of_split(RevenueSplit::DEFAULT)
    }

    /// The form filled with a registered unit's details and split.
    pub fn of(details: &UnitDetails, split: RevenueSplit) -> Self {
        Self {
            name: details.name.clone(),
            kind: details.kind.code().to_string(),
            class: details.class.clone(),
            province_id: details.province_id.to_string(),
            city: details.city.clone(),
            address: details.address.clone(),
            phone: details.phone.clone(),
            wage_pct: split.wage_pct.to_string(),
            pnbp_pct: split.pnbp_pct.to_string(),
            capital_pct: split.capital_pct.to_string(),
        }
    }

    /// Checks the form: a name of 3–120 characters, a known kind, a class (`IIA`), one of
    /// `province_ids`, a city of 2–80 characters, an address of 5–500, a phone number (or
    /// none) and a split of whole percentages adding up to 100. Every field in error is
    /// reported, under the field's name (`split` for the three shares).
    pub fn validate(&self, province_ids: &[i32]) -> Result<UnitDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let details = self.details(province_ids, &mut errors);
        let split = match split_from_text(&self.wage_pct, &self.pnbp_pct, &self.capital_pct) {
            Ok(split) => Some(split),
            Err(key) => {
                errors.insert("split", key);
                None
            }
        };
        match (details, split) {
            (Some(details), Some(split)) if errors.is_empty() => Ok(UnitDraft { details, split }),
            _ => Err(errors),
        }
    }

    fn details(&self, province_ids: &[i32], errors: &mut FieldErrors) -> Option<UnitDetails> {
        let name = collapse(&self.name);
        if !(3..=120).contains(&name.chars().count()) {
            errors.insert("name", "units-error-name");
        }
        let kind = UnitKind::parse(&self.kind).ok();
        if kind.is_none() {
            errors.insert("kind", "units-error-kind");
        }
        let class = class_code(&self.class);
        if class.is_none() {
            errors.insert("class", "units-error-class");
        }
        let province_id = self
            .province_id
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|id| province_ids.contains(id));
        if province_id.is_none() {
            errors.insert("province_id", "units-error-province");
        }
        let city = collapse(&self.city);
        if !(2..=80).contains(&city.chars().count()) {
            errors.insert("city", "units-error-city");
        }
        let address = self.address.trim();
        if !(5..=500).contains(&address.chars().count()) {
            errors.insert("address", "units-error-address");
        }
        let phone = phone_number(&self.phone);
        if phone.is_none() {
            errors.insert("phone", "units-error-phone");
        }
        Some(UnitDetails {
            name,
            kind: kind?,
            class: class?,
            province_id: province_id?,
            city,
            address: address.to_string(),
            phone: phone?,
        })
    }
}

/// Whether the list shows active units, inactive ones or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveFilter {
    Active,
    Inactive,
}

impl ActiveFilter {
    /// `aktif` or `nonaktif`; anything else is no filter.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "aktif" => Some(Self::Active),
            "nonaktif" => Some(Self::Inactive),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "aktif",
            Self::Inactive => "nonaktif",
        }
    }
}

/// What the administrators' list of units is narrowed to. Values that cannot be read are no
/// filter, so junk in the address never fails the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFilter {
    /// Words that must each appear in the name or the city (case-insensitive); at most six.
    pub words: Vec<String>,
    pub province_id: Option<i32>,
    pub kind: Option<UnitKind>,
    pub active: Option<ActiveFilter>,
    /// Only units without an active staff account (`staf=tanpa`).
    pub without_staff: bool,
}

impl RegistryFilter {
    /// The filter of the list's query: `q` (search), `provinsi` (id), `jenis` (kind code),
    /// `status` (`aktif`, `nonaktif`).
    pub fn parse(q: &str, province: &str, kind: &str, status: &str) -> Self {
        Self {
            words: q
                .split_whitespace()
                .take(6)
                .map(|w| w.chars().take(60).collect::<String>().to_lowercase())
                .collect(),
            province_id: province.trim().parse().ok().filter(|id: &i32| *id > 0),
            kind: UnitKind::parse(kind).ok(),
            active: ActiveFilter::parse(status),
            without_staff: false,
        }
    }

    /// The filter narrowed further by the list's `staf` parameter: `tanpa` (`WITHOUT_STAFF`)
    /// keeps only the units no active staff account works for; any other value keeps them all.
    pub fn with_staff_query(self, staff: &str) -> Self {
        Self {
            without_staff: staff.trim() == WITHOUT_STAFF,
            ..self
        }
    }
}

/// The value of the units list's `staf` parameter that keeps the units without active staff.
pub const WITHOUT_STAFF: &str = "tanpa";

/// The columns of the official list, in the order of the template.
pub const CSV_COLUMNS: [&str; 7] = [
    "nama", "jenis", "kelas", "provinsi", "kota", "alamat", "telepon",
];
/// Columns a file must have (the phone may be left out).
const CSV_REQUIRED: [&str; 6] = ["nama", "jenis", "kelas", "provinsi", "kota", "alamat"];
/// The most lines one file may hold (the official list has about 630 units).
pub const CSV_MAX_ROWS: usize = 2000;

/// The message key of a problem with a whole units file.
pub fn file_problem_key(problem: &FileProblem) -> &'static str {
    match problem {
        FileProblem::Empty => "units-import-error-empty",
        FileProblem::TooManyRows => "units-import-error-too-many",
        other => other.message_key(),
    }
}

/// A line of the units file as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvUnit {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    pub name: String,
    pub kind: String,
    pub class: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub phone: String,
    /// The line could not be read as CSV (a stray quote).
    pub unreadable: bool,
}

/// Reads a units file: UTF-8 (a byte-order mark is skipped), separated by commas or, as
/// spreadsheets in Indonesia often save, semicolons, with the columns of `CSV_COLUMNS` named in
/// its first line in any order and case. Empty lines are skipped.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<CsvUnit>, FileProblem> {
    let super::import::OpenedCsv {
        text,
        mut reader,
        headers,
    } = super::import::open_csv(bytes, &CSV_REQUIRED)?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    // A record's position is where the reader stood before it, that is before the empty lines
    // it skipped: its line is found past them.
    let line_of = |position: Option<&csv::Position>, fallback: usize| -> u64 {
        let Some(position) = position else {
            return fallback as u64 + 2;
        };
        let skipped = usize::try_from(position.byte())
            .ok()
            .and_then(|start| text.as_bytes().get(start..))
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .filter(|b| **b == b'\n')
            .count();
        position.line() + skipped as u64
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i >= CSV_MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                rows.push(CsvUnit {
                    line: line_of(e.position(), i),
                    unreadable: true,
                    ..CsvUnit::default()
                });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_string()
        };
        rows.push(CsvUnit {
            line: line_of(record.position(), i),
            name: field("nama"),
            kind: field("jenis"),
            class: field("kelas"),
            province: field("provinsi"),
            city: field("kota"),
            address: field("alamat"),
            phone: field("telepon"),
            unreadable: false,
        });
    }
    if rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(rows)
}

/// A unit already in the registry, as the import compares a line with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredUnit {
    pub id: i32,
    pub details: UnitDetails,
}

/// What importing one line would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineOutcome {
    /// A unit not registered yet (no unit of that name in that province): it is added, with
    /// the default split.
    New(UnitDetails),
    /// A registered unit whose details differ: `fields` are the message keys of the fields that
    /// change (its name and province are how it was found; its split is left alone).
    Changed {
        unit_id: i32,
        details: UnitDetails,
        fields: Vec<&'static str>,
    },
    /// A registered unit that the line leaves as it is.
    Unchanged { unit_id: i32 },
    /// The line cannot be imported: the message keys of what is wrong with it.
    Refused(Vec<&'static str>),
}

impl LineOutcome {
    /// `new`, `changed`, `unchanged` or `refused`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::New(_) => "new",
            Self::Changed { .. } => "changed",
            Self::Unchanged { .. } => "unchanged",
            Self::Refused(_) => "refused",
        }
    }
}

/// One line of the plan: where it is in the file, the unit it names and what it would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    pub line: u64,
    pub name: String,
    /// The province's name when it was found, the text of the line otherwise.
    pub province: String,
    pub outcome: LineOutcome,
}

/// What importing a file would do, line by line. It is applied only when no line is refused,
/// all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub lines: Vec<PlanLine>,
}

impl ImportPlan {
    fn count(&self, code: &str) -> usize {
        self.lines
            .iter()
            .filter(|l| l.outcome.code() == code)
            .count()
    }

    pub fn new_units(&self) -> usize {
        self.count("new")
    }

    pub fn changed(&self) -> usize {
        self.count("changed")
    }

    pub fn unchanged(&self) -> usize {
        self.count("unchanged")
    }

    pub fn refused(&self) -> usize {
        self.count("refused")
    }

    /// No line is refused: the file may be applied.
    pub fn is_clean(&self) -> bool {
        self.refused() == 0
    }
}

/// Plans the import of `rows` against the `registered` units: each line is checked like the
/// unit form (its province found by name or ISO code among `provinces`), then matched by name
/// and province with a registered unit. A unit named twice in the file is refused the second
/// time.
pub fn plan_import(
    rows: &[CsvUnit],
    provinces: &[ProvinceRef],
    registered: &[RegisteredUnit],
) -> ImportPlan {
    let province_ids: Vec<i32> = provinces.iter().map(|p| p.id).collect();
    let split = RevenueSplit::DEFAULT;
    let mut seen: Vec<(i32, String)> = Vec::new();
    let lines = rows
        .iter()
        .map(|row| {
            let province = find_province(&row.province, provinces);
            let line = |outcome: LineOutcome| PlanLine {
                line: row.line,
                name: collapse(&row.name).chars().take(120).collect(),
                province: province
                    .map_or_else(|| collapse(&row.province), |p| p.name.clone())
                    .chars()
                    .take(80)
                    .collect(),
                outcome,
            };
            if row.unreadable {
                return line(LineOutcome::Refused(vec!["import-error-row-unreadable"]));
            }
            let form = UnitForm {
                name: row.name.clone(),
                kind: row.kind.clone(),
                class: row.class.clone(),
                province_id: province.map(|p| p.id.to_string()).unwrap_or_default(),
                city: row.city.clone(),
                address: row.address.clone(),
                phone: row.phone.clone(),
                ..UnitForm::of_split(split)
            };
            let details = match form.validate(&province_ids) {
                Ok(draft) => draft.details,
                Err(errors) => return line(LineOutcome::Refused(errors.into_values().collect())),
            };
            let key = (details.province_id, name_key(&details.name));
            if seen.contains(&key) {
                return line(LineOutcome::Refused(vec!["units-import-error-twice"]));
            }
            seen.push(key);
            let found = registered.iter().find(|r| {
                r.details.province_id == details.province_id
                    && name_key(&r.details.name) == name_key(&details.name)
            });
            line(match found {
                None => LineOutcome::New(details),
                Some(unit) => {
                    let fields = changed_fields(&unit.details, &details);
                    if fields.is_empty() {
                        LineOutcome::Unchanged { unit_id: unit.id }
                    } else {
                        // The unit keeps its name as registered (the line found it by name).
                        LineOutcome::Changed {
                            unit_id: unit.id,
                            details: UnitDetails {
                                name: unit.details.name.clone(),
                                ..details
                            },
                            fields,
                        }
                    }
                }
            })
        })
        .collect();
    ImportPlan { lines }
}

impl UnitForm {
    /// An empty form with `split` filled in.
    fn of_split(split: RevenueSplit) -> Self {
        Self {
            wage_pct: split.wage_pct.to_string(),
            pnbp_pct: split.pnbp_pct.to_string(),
            capital_pct: split.capital_pct.to_string(),
            ..Self::default()
        }
    }
}

/// The message keys of the fields an import changes (kind, class, city, address, phone).
fn changed_fields(was: &UnitDetails, now: &UnitDetails) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if was.kind != now.kind {
        fields.push("units-kind");
    }
    if was.class != now.class {
        fields.push("units-class");
    }
    if was.city != now.city {
        fields.push("units-city");
    }
    if was.address != now.address {
        fields.push("units-address");
    }
    if was.phone != now.phone {
        fields.push("units-phone");
    }
    fields
}

/// The template of the official list: its header and one line.
pub fn csv_template() -> String {
    format!(
        "{}\nLapas Kelas IIA Contoh,Lapas,IIA,Jawa Barat,Kota Contoh,Jl. Pemasyarakatan No. 1,0261 555 0101\n",
        CSV_COLUMNS.join(",")
    )
}

// ---- The profile and its review ----------------------------------------------------------

/// Which of a unit's brand pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrandPicture {
    Logo,
    Banner,
}

impl BrandPicture {
    pub const ALL: [Self; 2] = [Self::Logo, Self::Banner];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == raw)
    }

    /// The name in forms, file names and addresses.
    pub fn code(self) -> &'static str {
        match self {
            Self::Logo => "logo",
            Self::Banner => "banner",
        }
    }

    /// The width of the variant pages show.
    pub fn width(self) -> u32 {
        match self {
            Self::Logo => 320,
            Self::Banner => 1280,
        }
    }
}

/// A reviewer's decision on what a unit proposes of its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileDecision {
    Approve,
    Return,
}

impl ProfileDecision {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "approve" => Some(Self::Approve),
            "return" => Some(Self::Return),
            _ => None,
        }
    }

    /// Whether the decision may be taken: approving needs the reviewer's word that no
    /// resident's face or name shows, returning a reason of at least five characters. Otherwise
    /// the key of the message saying what is missing.
    pub fn check(self, no_resident_shown: bool, reason: &str) -> Result<(), &'static str> {
        match self {
            Self::Approve if !no_resident_shown => Err("review-checklist-incomplete"),
            Self::Return if reason.trim().chars().count() < 5 => Err("review-reason-required"),
            _ => Ok(()),
        }
    }

    /// The key of the message shown once the decision is recorded.
    pub fn done_message(self) -> &'static str {
        match self {
            Self::Approve => "flash-profile-approved",
            Self::Return => "flash-profile-returned",
        }
    }
}

/// What a unit proposes of a text of its profile: `typed` when it differs from the public
/// text, `None` when it is the same (nothing to review).
pub fn proposed_text(public: &str, typed: &str) -> Option<String> {
    (public != typed).then(|| typed.to_string())
}

/// The version of a proposal changed at `now` (unix seconds): later than the `previous` one
/// even within the same second, so a decision on an older version is always told apart.
pub fn next_proposal_version(now: i64, previous: Option<i64>) -> i64 {
    previous.map_or(now, |p| now.max(p + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approving_a_profile_needs_the_no_resident_check_and_returning_it_needs_a_reason() {
        use ProfileDecision::*;
        assert_eq!(ProfileDecision::parse("approve"), Some(Approve));
        assert_eq!(ProfileDecision::parse("return"), Some(Return));
        assert_eq!(ProfileDecision::parse("verify"), None);
        assert_eq!(Approve.check(true, ""), Ok(()));
        assert_eq!(
            Approve.check(false, "bagus"),
            Err("review-checklist-incomplete")
        );
        assert_eq!(Return.check(false, "Wajah terlihat"), Ok(()));
        assert_eq!(Return.check(true, " tak "), Err("review-reason-required"));
        assert_ne!(Approve.done_message(), Return.done_message());
    }

    #[test]
    fn only_a_text_that_differs_from_the_public_one_is_proposed() {
        assert_eq!(proposed_text("Karya", "Karya"), None);
        assert_eq!(
            proposed_text("Karya", "Karya Baru").as_deref(),
            Some("Karya Baru")
        );
    }

    #[test]
    fn a_proposal_changed_twice_in_one_second_gets_two_versions() {
        assert_eq!(next_proposal_version(1_000, None), 1_000);
        assert_eq!(next_proposal_version(1_000, Some(900)), 1_000);
        assert_eq!(next_proposal_version(1_000, Some(1_000)), 1_001);
        assert_eq!(next_proposal_version(1_000, Some(1_004)), 1_005);
    }

    #[test]
    fn brand_pictures_are_read_by_their_code() {
        for p in BrandPicture::ALL {
            assert_eq!(BrandPicture::parse(p.code()), Some(p));
        }
        assert_eq!(BrandPicture::parse("../logo"), None);
        assert!(BrandPicture::Banner.width() > BrandPicture::Logo.width());
    }

    fn provinces() -> Vec<ProvinceRef> {
        vec![
            ProvinceRef {
                id: 12,
                iso_code: "ID-JB".into(),
                name: "Jawa Barat".into(),
            },
            ProvinceRef {
                id: 17,
                iso_code: "ID-BA".into(),
                name: "Bali".into(),
            },
        ]
    }

    fn form() -> UnitForm {
        UnitForm {
            name: "  Lapas Kelas IIA   Contoh ".into(),
            kind: "lapas".into(),
            class: "Kelas iia".into(),
            province_id: "12".into(),
            city: "Kota Contoh".into(),
            address: "Jl. Pemasyarakatan No. 1".into(),
            phone: "(0261) 555-0101".into(),
            ..UnitForm::new_unit()
        }
    }

    fn fields_in_error(form: &UnitForm) -> Vec<&'static str> {
        form.validate(&[12, 17])
            .unwrap_err()
            .keys()
            .copied()
            .collect()
    }

    #[test]
    fn a_unit_form_is_tidied_and_accepted_with_the_default_split() {
        let draft = form().validate(&[12, 17]).unwrap();
        assert_eq!(draft.details.name, "Lapas Kelas IIA Contoh");
        assert_eq!(draft.details.kind, UnitKind::Lapas);
        assert_eq!(draft.details.class, "IIA");
        assert_eq!(draft.details.province_id, 12);
        assert_eq!(draft.details.phone, "0261 555-0101");
        assert_eq!(draft.split, RevenueSplit::DEFAULT);
        let back = UnitForm::of(&draft.details, draft.split);
        assert_eq!(back.validate(&[12]).unwrap(), draft);
    }

    #[test]
    fn a_split_must_be_three_whole_percentages_that_add_up_to_one_hundred() {
        assert_eq!(
            split_from_text("40", "40%", " 20 "),
            Ok(RevenueSplit::new(40, 40, 20).unwrap())
        );
        assert_eq!(
            split_from_text("0", "100", "0").map(|s| s.pnbp_pct),
            Ok(100)
        );
        assert_eq!(
            split_from_text("50", "30", "30"),
            Err("units-error-split-sum")
        );
        assert_eq!(
            split_from_text("35", "40", "24"),
            Err("units-error-split-sum")
        );
        for bad in ["", "tiga puluh", "12.5", "-5", "101"] {
            assert_eq!(
                split_from_text(bad, "40", "25"),
                Err("units-error-split-number"),
                "{bad:?}"
            );
        }
        let refused = UnitForm {
            wage_pct: "50".into(),
            pnbp_pct: "30".into(),
            capital_pct: "30".into(),
            ..form()
        };
        let errors = refused.validate(&[12]).unwrap_err();
        assert_eq!(errors.get("split"), Some(&"units-error-split-sum"));
        assert_eq!(errors.len(), 1, "the rest of the form is right");
        assert_eq!(refused.wage_pct, "50", "what was typed is kept");
    }

    #[test]
    fn a_unit_form_reports_every_bad_field() {
        let bad = UnitForm {
            name: "X".into(),
            kind: "penjara".into(),
            class: "Kelas ?".into(),
            province_id: "99".into(),
            city: "".into(),
            address: "Jl.".into(),
            phone: "0812 abc".into(),
            wage_pct: "".into(),
            ..UnitForm::default()
        };
        assert_eq!(
            fields_in_error(&bad),
            [
                "address",
                "city",
                "class",
                "kind",
                "name",
                "phone",
                "province_id",
                "split"
            ]
        );
        let empty_phone = UnitForm {
            phone: " ".into(),
            ..form()
        };
        assert_eq!(empty_phone.validate(&[12]).unwrap().details.phone, "");
    }

    #[test]
    fn kinds_are_read_by_code_short_name_or_full_name_and_bapas_is_one() {
        for (raw, kind) in [
            ("Lapas", UnitKind::Lapas),
            ("RUTAN", UnitKind::Rutan),
            ("Rumah  Tahanan Negara", UnitKind::Rutan),
            ("lpka", UnitKind::Lpka),
            ("Bapas", UnitKind::Bapas),
            ("Balai Pemasyarakatan", UnitKind::Bapas),
        ] {
            assert_eq!(UnitKind::parse(raw), Ok(kind), "{raw}");
        }
        assert!(UnitKind::parse("rupbasan").is_err());
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.code()), Ok(kind));
            assert_eq!(UnitKind::parse(kind.short_name()), Ok(kind));
        }
    }

    #[test]
    fn provinces_are_found_by_name_or_iso_code_in_any_case() {
        let list = provinces();
        for raw in ["Jawa Barat", "jawa  barat", "ID-JB", "id-jb", "JB"] {
            assert_eq!(find_province(raw, &list).map(|p| p.id), Some(12), "{raw}");
        }
        for raw in ["", "Jawa", "ID-XX", "12"] {
            assert_eq!(find_province(raw, &list), None, "{raw}");
        }
    }

    #[test]
    fn classes_and_phone_numbers_are_stored_in_one_form() {
        assert_eq!(class_code("Kelas IIA").as_deref(), Some("IIA"));
        assert_eq!(class_code(" iib ").as_deref(), Some("IIB"));
        assert_eq!(class_code("KELAS I").as_deref(), Some("I"));
        assert_eq!(class_code(""), None);
        assert_eq!(class_code("Kelas"), None);
        assert_eq!(class_code("II A"), None);
        assert_eq!(
            phone_number("(0274)  512-345").as_deref(),
            Some("0274 512-345")
        );
        assert_eq!(
            phone_number("+62 812 3456 7890").as_deref(),
            Some("+62 812 3456 7890")
        );
        assert_eq!(phone_number("").as_deref(), Some(""));
        assert_eq!(phone_number("0274 ext. 5"), None);
        assert_eq!(phone_number(&"1".repeat(31)), None);
    }

    #[test]
    fn the_template_reads_as_one_unit() {
        let rows = read_csv(csv_template().as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].province, "Jawa Barat");
        let plan = plan_import(&rows, &provinces(), &[]);
        assert_eq!(plan.new_units(), 1);
        assert!(plan.is_clean());
    }

    #[test]
    fn the_csv_reader_takes_semicolons_a_byte_order_mark_any_column_order_and_skips_empty_lines() {
        let csv = "\u{FEFF}Kota;Nama;Jenis;Kelas;Provinsi;Alamat\n\
                   Denpasar;Bapas Kelas I Denpasar;Bapas;I;ID-BA;Jl. Gunung Sanghyang No. 1\n\
                   \n\
                   Bandung;Lapas Kelas I Sukamiskin;Lapas;I;Jawa Barat;Jl. A.H. Nasution No. 114\n";
        let rows = read_csv(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Bapas Kelas I Denpasar");
        assert_eq!(rows[0].city, "Denpasar");
        assert_eq!(rows[0].phone, "", "the phone column may be left out");
        assert_eq!((rows[0].line, rows[1].line), (2, 4), "lines as in the file");
    }

    #[test]
    fn files_that_cannot_be_read_are_refused_as_a_whole() {
        assert_eq!(read_csv(b""), Err(FileProblem::Empty));
        assert_eq!(read_csv(b"  \n "), Err(FileProblem::Empty));
        assert_eq!(
            read_csv(b"nama,jenis,kelas,provinsi,kota,alamat\n"),
            Err(FileProblem::Empty),
            "a header alone"
        );
        assert_eq!(
            read_csv(b"nama,jenis\n\xff\xfe bad"),
            Err(FileProblem::NotUtf8)
        );
        match read_csv(b"nama,jenis,kota\nLapas A,lapas,Kota\n") {
            Err(FileProblem::MissingColumns(m)) => assert_eq!(m, ["kelas", "provinsi", "alamat"]),
            other => panic!("{other:?}"),
        }
        let many = format!(
            "{}\n{}",
            CSV_COLUMNS.join(","),
            "Lapas A,lapas,I,Bali,Kota,Jl. Panjang 1,\n".repeat(CSV_MAX_ROWS + 1)
        );
        assert_eq!(read_csv(many.as_bytes()), Err(FileProblem::TooManyRows));
        assert_eq!(
            file_problem_key(&FileProblem::TooManyRows),
            "units-import-error-too-many"
        );
    }

    #[test]
    fn each_line_is_planned_as_a_new_unit_a_change_no_change_or_refused_with_its_reasons() {
        let csv = "nama,jenis,kelas,provinsi,kota,alamat,telepon\n\
                   Lapas Kelas IIA Baru,Lapas,IIA,Jawa Barat,Kota Baru,Jl. Baru No. 2,0261 1\n\
                   lapas kelas i sukamiskin,Lapas,I,ID-JB,Bandung,Jl. A.H. Nasution No. 114,022 7000\n\
                   Bapas Kelas I Denpasar,Bapas,I,bali,Denpasar,Jl. Gunung Sanghyang No. 1,\n\
                   Penjara Lama,penjara,IIA,Atlantis,Kota,Jl.,0812 abc\n\
                   Lapas Kelas IIA Baru,Lapas,IIA,ID-JB,Kota Baru,Jl. Baru No. 2,0261 1\n\
                   Rutan Kelas I Pendek,Rutan\n";
        let registered = [
            RegisteredUnit {
                id: 5,
                details: UnitDetails {
                    name: "Lapas Kelas I Sukamiskin".into(),
                    kind: UnitKind::Lapas,
                    class: "I".into(),
                    province_id: 12,
                    city: "Kota Bandung".into(),
                    address: "Jl. A.H. Nasution No. 114".into(),
                    phone: "".into(),
                },
            },
            RegisteredUnit {
                id: 6,
                details: UnitDetails {
                    name: "Bapas Kelas I Denpasar".into(),
                    kind: UnitKind::Bapas,
                    class: "I".into(),
                    province_id: 17,
                    city: "Denpasar".into(),
                    address: "Jl. Gunung Sanghyang No. 1".into(),
                    phone: "".into(),
                },
            },
        ];
        let rows = read_csv(csv.as_bytes()).unwrap();
        let plan = plan_import(&rows, &provinces(), &registered);
        let summary: Vec<(u64, &str)> = plan
            .lines
            .iter()
            .map(|l| (l.line, l.outcome.code()))
            .collect();
        assert_eq!(
            summary,
            [
                (2, "new"),
                (3, "changed"),
                (4, "unchanged"),
                (5, "refused"),
                (6, "refused"),
                (7, "refused"),
            ]
        );
        assert_eq!(plan.lines[0].province, "Jawa Barat");
        match &plan.lines[1].outcome {
            LineOutcome::Changed {
                unit_id, fields, ..
            } => {
                assert_eq!(*unit_id, 5);
                assert_eq!(fields, &["units-city", "units-phone"]);
            }
            other => panic!("{other:?}"),
        }
        match &plan.lines[3].outcome {
            LineOutcome::Refused(keys) => {
                for key in [
                    "units-error-kind",
                    "units-error-province",
                    "units-error-address",
                    "units-error-phone",
                ] {
                    assert!(keys.contains(&key), "{key} in {keys:?}");
                }
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(plan.lines[3].province, "Atlantis", "named as written");
        assert_eq!(
            plan.lines[4].outcome,
            LineOutcome::Refused(vec!["units-import-error-twice"])
        );
        assert_eq!(
            (
                plan.new_units(),
                plan.changed(),
                plan.unchanged(),
                plan.refused()
            ),
            (1, 1, 1, 3)
        );
        assert!(!plan.is_clean());
    }

    #[test]
    fn the_list_filter_reads_its_query_and_ignores_junk() {
        let f = RegistryFilter::parse(" Cipinang  jakarta ", "11", "rutan", "nonaktif");
        assert_eq!(f.words, ["cipinang", "jakarta"]);
        assert_eq!(f.province_id, Some(11));
        assert_eq!(f.kind, Some(UnitKind::Rutan));
        assert_eq!(f.active, Some(ActiveFilter::Inactive));
        assert_eq!(
            RegistryFilter::parse("", "x", "penjara", "semua"),
            RegistryFilter::default()
        );
        assert!(!f.without_staff);
        let unstaffed = RegistryFilter::parse("", "", "", "aktif").with_staff_query(" tanpa ");
        assert!(unstaffed.without_staff);
        assert_eq!(unstaffed.active, Some(ActiveFilter::Active));
        assert!(
            !RegistryFilter::default()
                .with_staff_query("semua")
                .without_staff
        );
    }
}
