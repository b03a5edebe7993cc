//! What the legal status rules ask of a product, in words, and the administrators' page of
//! the rules (`templates/pages/staff/legal_rules.html`).

use serde::Serialize;

use crate::domain::legal::{self, LegalRuleForm, MissingDocuments, RuleScope};
use crate::domain::{CertificationKind, FieldErrors};
use crate::i18n::Lang;
use crate::models::catalog::Category;
use crate::models::legal::RuleRow;

/// Documents any one of which will do, in words: "Izin Pangan Industri Rumah Tangga (P-IRT)
/// atau Terdaftar BPOM (MD)".
pub fn one_of(lang: Lang, documents: &[CertificationKind]) -> String {
    let or = format!(" {} ", lang.text("legal-or"));
    documents
        .iter()
        .map(|d| d.label(lang.code()))
        .collect::<Vec<_>>()
        .join(&or)
}

/// What a product still needs, one line per rule it falls short of.
pub fn missing_lines(lang: Lang, missing: &MissingDocuments) -> Vec<String> {
    missing.iter().map(|choice| one_of(lang, choice)).collect()
}

/// A rule of the list.
#[derive(Debug, Serialize)]
pub struct RuleView {
    pub id: i32,
    /// Message key of what it covers: a category or a product kind.
    pub scope: &'static str,
    /// The category's name (its slug when no category has it) or the kind as written.
    pub target: String,
    /// The documents in words; empty when they cannot be read.
    pub documents: String,
    /// The first day it applies (ISO); None: always.
    pub applies_from: Option<String>,
}

/// A category the form offers.
#[derive(Debug, Serialize)]
pub struct CategoryOption<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub selected: bool,
}

/// A document kind the form offers, ticked or not.
#[derive(Debug, Serialize)]
pub struct DocumentChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub ticked: bool,
}

/// `legal_rules.html`: the rules, each with its remove button, and the form for a new one
/// (what was typed and what is wrong with it).
#[derive(Debug, Serialize)]
pub struct LegalRulesPage<'a> {
    pub rules: Vec<RuleView>,
    pub form: &'a LegalRuleForm,
    pub errors: &'a FieldErrors,
    /// The form's scope is a product kind (else a category).
    pub by_kind: bool,
    pub categories: Vec<CategoryOption<'a>>,
    pub documents: Vec<DocumentChoice>,
    /// The day the Halal duty of micro and small food businesses starts (ISO).
    pub halal_from: &'static str,
}

impl<'a> LegalRulesPage<'a> {
    pub fn new(
        lang: Lang,
        rows: &[RuleRow],
        categories: &'a [Category],
        form: &'a LegalRuleForm,
        errors: &'a FieldErrors,
    ) -> Self {
        let rules = rows
            .iter()
            .map(|row| RuleView {
                id: row.id,
                scope: match row.scope {
                    RuleScope::Category => "legal-rules-scope-category",
                    RuleScope::Kind => "legal-rules-scope-kind",
                },
                target: match row.scope {
                    RuleScope::Category => categories
                        .iter()
                        .find(|c| c.slug == row.target)
                        .map_or(row.target.clone(), |c| c.name(lang.code()).to_string()),
                    RuleScope::Kind => row.target.clone(),
                },
                documents: legal::parse_documents(&row.documents)
                    .map(|d| one_of(lang, &d))
                    .unwrap_or_default(),
                applies_from: row.applies_from.clone(),
            })
            .collect();
        Self {
            rules,
            form,
            errors,
            by_kind: form.scope == RuleScope::Kind.code(),
            categories: categories
                .iter()
                .map(|c| CategoryOption {
                    slug: &c.slug,
                    name: c.name(lang.code()),
                    selected: form.category == c.slug,
                })
                .collect(),
            documents: CertificationKind::ALL
                .into_iter()
                .map(|k| DocumentChoice {
                    code: k.code(),
                    label: k.label(lang.code()),
                    ticked: form.ticked(k.code()),
                })
                .collect(),
            halal_from: legal::HALAL_DUTY_FROM,
        }
    }
}
