//! Legal status rules: which documents a product needs before it may be sold. A rule covers a
//! category (by its slug) or a product kind (`products.kind`, compared without regard to case)
//! and names documents of which any one will do (a P-IRT or a BPOM-MD registration); a product
//! needs one document of every rule that covers it and is in force on the day. A document
//! counts when a reviewer verified it and it has not expired (`badge_is_public`), whether it
//! names the product or, unit-wide, none. A product short of a document stays visible, marked
//! "Menunggu legalitas", and cannot be put in a cart.
//!
//! Every unit of the programme is a micro or small business, so the Halal duty of micro and
//! small food businesses (from 17 October 2026) applies to every unit's food and drink.

use super::{CertificationKind, FieldErrors};

/// What a rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// Every product of a category (`target`: the category's slug).
    Category,
    /// Every product of one kind (`target`: the kind as `products.kind` writes it).
    Kind,
}

impl RuleScope {
    pub const ALL: [RuleScope; 2] = [Self::Category, Self::Kind];

    pub fn code(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Kind => "kind",
        }
    }
}

stored_as_text!(RuleScope);

/// The day micro and small businesses must have their food and drink certified Halal.
pub const HALAL_DUTY_FROM: &str = "2026-10-17";

/// The longest product kind a rule may name, in characters.
pub const KIND_MAX: usize = 120;

/// For each rule a product falls short of, the documents any one of which would do.
pub type MissingDocuments = Vec<Vec<CertificationKind>>;

/// A rule: products of `target` need one of `documents`, from `applies_from` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalRule {
    pub scope: RuleScope,
    pub target: String,
    /// Any one of them will do; never empty.
    pub documents: Vec<CertificationKind>,
    /// The first day the rule applies (ISO); None: always.
    pub applies_from: Option<String>,
}

impl LegalRule {
    /// Whether the rule covers a product of category `category_slug` and kind `kind`.
    pub fn covers(&self, category_slug: &str, kind: &str) -> bool {
        match self.scope {
            RuleScope::Category => self.target == category_slug,
            RuleScope::Kind => self.target.trim().to_lowercase() == kind.trim().to_lowercase(),
        }
    }

    /// Whether the rule applies on `today` (ISO; dates compare as text).
    pub fn in_force(&self, today: &str) -> bool {
        self.applies_from.as_deref().is_none_or(|d| d <= today)
    }

    /// Whether one of the documents `held` satisfies the rule.
    pub fn satisfied_by(&self, held: &[CertificationKind]) -> bool {
        self.documents.iter().any(|d| held.contains(d))
    }
}

/// What a product of category `category_slug` and kind `kind`, holding the valid documents
/// `held`, still needs on `today`: for each rule in force that covers it and that it does not
/// satisfy, the documents any one of which would do (the same choice once, in the order of
/// `rules`). Empty: it may be sold.
pub fn missing(
    rules: &[LegalRule],
    category_slug: &str,
    kind: &str,
    held: &[CertificationKind],
    today: &str,
) -> MissingDocuments {
    let mut out: MissingDocuments = Vec::new();
    for rule in rules {
        if rule.in_force(today)
            && rule.covers(category_slug, kind)
            && !rule.satisfied_by(held)
            && !out.contains(&rule.documents)
        {
            out.push(rule.documents.clone());
        }
    }
    out
}

/// The document kinds any rule of `rules` asks of a product of `category_slug` and `kind`,
/// whatever the day (what the demo data gives its published products).
pub fn asked_of(rules: &[LegalRule], category_slug: &str, kind: &str) -> Vec<CertificationKind> {
    let mut out = Vec::new();
    for rule in rules.iter().filter(|r| r.covers(category_slug, kind)) {
        for d in &rule.documents {
            if !out.contains(d) {
                out.push(*d);
            }
        }
    }
    out
}

/// Documents as stored: their codes joined by `|` (`PIRT|BPOM-MD`).
pub fn documents_code(documents: &[CertificationKind]) -> String {
    documents
        .iter()
        .map(|d| d.code())
        .collect::<Vec<_>>()
        .join("|")
}

/// Documents from their stored form; None when a code is unknown or there is none.
pub fn parse_documents(raw: &str) -> Option<Vec<CertificationKind>> {
    let mut out = Vec::new();
    for code in raw.split('|').map(str::trim).filter(|c| !c.is_empty()) {
        let kind = CertificationKind::parse(code).ok()?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The rules a new shop starts with: food and drink (category `kuliner`) need a P-IRT or a
/// BPOM-MD registration, and Halal from `HALAL_DUTY_FROM`; wood furniture (category
/// `mebel-dan-kayu`) needs SVLK.
pub fn default_rules() -> Vec<LegalRule> {
    use CertificationKind::{BpomMd, Halal, Pirt, Svlk};
    let category = |slug: &str, documents: Vec<CertificationKind>, from: Option<&str>| LegalRule {
        scope: RuleScope::Category,
        target: slug.to_string(),
        documents,
        applies_from: from.map(str::to_string),
    };
    vec![
        category("kuliner", vec![Pirt, BpomMd], None),
        category("kuliner", vec![Halal], Some(HALAL_DUTY_FROM)),
        category("mebel-dan-kayu", vec![Svlk], None),
    ]
}

/// The administrators' form for a new rule, as sent: `scope` (`category` or `kind`), the
/// `category` slug or the `kind`, the `documents` ticked (repeated) and `applies_from`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LegalRuleForm {
    pub scope: String,
    pub category: String,
    pub kind: String,
    pub documents: Vec<String>,
    pub applies_from: String,
}

impl LegalRuleForm {
    /// The form from its fields (`documents` may repeat; other fields: the first, trimmed).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let value = |name: &str| super::fair::form_value(pairs, name).to_string();
        Self {
            scope: value("scope"),
            category: value("category"),
            kind: value("kind"),
            documents: pairs
                .iter()
                .filter(|(k, _)| k == "documents")
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .take(CertificationKind::ALL.len())
                .collect(),
            applies_from: value("applies_from"),
        }
    }

    /// Whether document `code` is ticked.
    pub fn ticked(&self, code: &str) -> bool {
        self.documents.iter().any(|d| d == code)
    }

    /// Checks the form: a scope, a category among `category_slugs` or a kind of 1 to
    /// `KIND_MAX` characters, at least one known document, and a real day or none.
    pub fn validate(&self, category_slugs: &[&str]) -> Result<LegalRule, FieldErrors> {
        let mut errors = FieldErrors::new();
        let scope = RuleScope::from_code(self.scope.trim());
        let target = match scope {
            Some(RuleScope::Category) => {
                let slug = self.category.trim();
                if !category_slugs.contains(&slug) {
                    errors.insert("category", "legal-rules-error-category");
                }
                slug.to_string()
            }
            Some(RuleScope::Kind) => {
                let kind = self.kind.trim();
                if kind.is_empty() || kind.chars().count() > KIND_MAX {
                    errors.insert("kind", "legal-rules-error-kind");
                }
                kind.to_string()
            }
            None => {
                errors.insert("scope", "legal-rules-error-scope");
                String::new()
            }
        };
        let documents = parse_documents(&self.documents.join("|"));
        if documents.is_none() {
            errors.insert("documents", "legal-rules-error-documents");
        }
        let applies_from = match self.applies_from.trim() {
            "" => Some(None),
            raw => chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .map(|d| Some(d.format("%Y-%m-%d").to_string())),
        };
        if applies_from.is_none() {
            errors.insert("applies_from", "legal-rules-error-date");
        }
        match (scope, documents, applies_from) {
            (Some(scope), Some(documents), Some(applies_from)) if errors.is_empty() => {
                Ok(LegalRule {
                    scope,
                    target,
                    documents,
                    applies_from,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CertificationKind::{BpomMd, Halal, Hki, Pirt, Svlk};

    #[test]
    fn food_needs_a_food_permit_and_halal_from_the_day_the_duty_starts() {
        let rules = default_rules();
        let missing_on = |held: &[CertificationKind], today: &str| {
            missing(&rules, "kuliner", "Keripik singkong", held, today)
        };
        assert_eq!(missing_on(&[], "2026-10-16"), vec![vec![Pirt, BpomMd]]);
        assert_eq!(
            missing_on(&[], "2026-10-17"),
            vec![vec![Pirt, BpomMd], vec![Halal]]
        );
        assert_eq!(missing_on(&[BpomMd], "2026-12-01"), vec![vec![Halal]]);
        assert!(missing_on(&[Pirt, Halal], "2026-12-01").is_empty());
        assert!(missing_on(&[Hki, Halal], "2026-12-01") == vec![vec![Pirt, BpomMd]]);
        // Wood furniture needs SVLK; handicrafts need nothing.
        assert_eq!(
            missing(&rules, "mebel-dan-kayu", "Kursi jati", &[Hki], "2026-12-01"),
            vec![vec![Svlk]]
        );
        assert!(missing(&rules, "kerajinan-tangan", "Tas rotan", &[], "2026-12-01").is_empty());
    }

    #[test]
    fn a_kind_rule_matches_the_kind_whatever_its_case_and_the_same_choice_is_asked_once() {
        let mut rules = default_rules();
        rules.push(LegalRule {
            scope: RuleScope::Kind,
            target: "Madu Hutan".into(),
            documents: vec![Pirt, BpomMd],
            applies_from: None,
        });
        rules.push(LegalRule {
            scope: RuleScope::Kind,
            target: "bonsai".into(),
            documents: vec![Hki],
            applies_from: Some("2030-01-01".into()),
        });
        assert_eq!(
            missing(&rules, "kuliner", " madu hutan ", &[Halal], "2026-12-01"),
            vec![vec![Pirt, BpomMd]]
        );
        assert!(missing(
            &rules,
            "pertanian-dan-perikanan",
            "Bonsai",
            &[],
            "2029-12-31"
        )
        .is_empty());
        assert_eq!(
            missing(
                &rules,
                "pertanian-dan-perikanan",
                "Bonsai",
                &[],
                "2030-01-01"
            ),
            vec![vec![Hki]]
        );
        assert_eq!(
            asked_of(&rules, "kuliner", "Madu hutan"),
            vec![Pirt, BpomMd, Halal]
        );
    }

    #[test]
    fn documents_are_stored_as_codes_and_read_back() {
        assert_eq!(documents_code(&[Pirt, BpomMd]), "PIRT|BPOM-MD");
        assert_eq!(parse_documents("PIRT|BPOM-MD"), Some(vec![Pirt, BpomMd]));
        assert_eq!(parse_documents("halal|HALAL"), Some(vec![Halal]));
        assert_eq!(parse_documents(""), None);
        assert_eq!(parse_documents("PIRT|IZIN-X"), None);
    }

    fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_rule_form_reads_ticked_documents_and_reports_every_bad_field() {
        let form = LegalRuleForm::from_pairs(&pairs(&[
            ("scope", "category"),
            ("category", "kuliner"),
            ("documents", "PIRT"),
            ("documents", "BPOM-MD"),
            ("applies_from", ""),
        ]));
        assert!(form.ticked("PIRT") && !form.ticked("HALAL"));
        let rule = form.validate(&["kuliner"]).unwrap();
        assert_eq!(rule.documents, vec![Pirt, BpomMd]);
        assert_eq!((rule.scope, rule.applies_from), (RuleScope::Category, None));

        let kind = LegalRuleForm::from_pairs(&pairs(&[
            ("scope", "kind"),
            ("kind", " Kursi jati "),
            ("documents", "SVLK"),
            ("applies_from", "2027-01-01"),
        ]))
        .validate(&[])
        .unwrap();
        assert_eq!(kind.target, "Kursi jati");
        assert_eq!(kind.applies_from.as_deref(), Some("2027-01-01"));

        let errors = LegalRuleForm::from_pairs(&pairs(&[
            ("scope", "category"),
            ("category", "tidak-ada"),
            ("documents", "IZIN-X"),
            ("applies_from", "17-10-2026"),
        ]))
        .validate(&["kuliner"])
        .unwrap_err();
        let mut keys: Vec<&str> = errors.keys().copied().collect();
        keys.sort_unstable();
        assert_eq!(keys, ["applies_from", "category", "documents"]);
        let errors = LegalRuleForm::default().validate(&["kuliner"]).unwrap_err();
        assert!(errors.contains_key("scope") && errors.contains_key("documents"));
        let long = LegalRuleForm {
            scope: "kind".into(),
            kind: "x".repeat(KIND_MAX + 1),
            documents: vec!["HKI".into()],
            ..LegalRuleForm::default()
        };
        assert!(long.validate(&[]).unwrap_err().contains_key("kind"));
    }
}
