//! Legal status rules (`legal_rules`, the rule itself is `domain::legal`) and what each
//! product still needs of them. Changing a rule changes what catalogue pages show (the
//! "Menunggu legalitas" badge, the buy button): it moves the catalogue generation on.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::dialect::in_ids;
use crate::db::schema::{categories, certifications, legal_rules, products};
use crate::db::DbConnection;
use crate::domain::legal::{self, LegalRule, MissingDocuments, RuleScope};
use crate::domain::{CertificationKind, CertificationStatus};

/// A saved rule.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = legal_rules)]
pub struct RuleRow {
    pub id: i32,
    #[diesel(deserialize_as = String)]
    pub scope: RuleScope,
    pub target: String,
    /// Codes joined by `|`.
    pub documents: String,
    pub applies_from: Option<String>,
    pub created_at: i64,
}

impl RuleRow {
    /// The rule; None when its documents cannot be read (a code this version does not know).
    pub fn rule(&self) -> Option<LegalRule> {
        Some(LegalRule {
            scope: self.scope,
            target: self.target.clone(),
            documents: legal::parse_documents(&self.documents)?,
            applies_from: self.applies_from.clone(),
        })
    }
}

/// Every rule, oldest first.
pub fn rules(conn: &mut DbConnection) -> QueryResult<Vec<RuleRow>> {
    legal_rules::table
        .order(legal_rules::id.asc())
        .select(RuleRow::as_select())
        .load(conn)
}

/// What the audit log keeps of a rule.
fn audit_view(rule: &LegalRule) -> serde_json::Value {
    serde_json::json!({
        "scope": rule.scope, "target": rule.target,
        "documents": legal::documents_code(&rule.documents), "applies_from": rule.applies_from,
    })
}

fn insert(conn: &mut DbConnection, rule: &LegalRule, actor_id: Option<i32>) -> QueryResult<i32> {
    diesel::insert_into(legal_rules::table)
        .values((
            legal_rules::scope.eq(rule.scope.code()),
            legal_rules::target.eq(&rule.target),
            legal_rules::documents.eq(legal::documents_code(&rule.documents)),
            legal_rules::applies_from.eq(rule.applies_from.as_deref()),
            legal_rules::created_by.eq(actor_id),
            legal_rules::created_at.eq(crate::models::now_ts()),
        ))
        .execute(conn)?;
    legal_rules::table
        .order(legal_rules::id.desc())
        .select(legal_rules::id)
        .first(conn)
}

/// Adds a rule an administrator wrote; audited. Gives its id.
pub fn add_rule(conn: &mut DbConnection, rule: &LegalRule, actor_id: i32) -> QueryResult<i32> {
    crate::db::write_transaction(conn, |conn| {
        let id = insert(conn, rule, Some(actor_id))?;
        crate::models::audit::record(
            conn,
            actor_id,
            "legal_rule.add",
            "legal_rule",
            id,
            None,
            Some(&audit_view(rule)),
        )?;
        crate::models::note_catalog_write();
        Ok(id)
    })
}

/// Removes rule `id`; audited. False when there is no such rule (removed already).
pub fn remove_rule(conn: &mut DbConnection, id: i32, actor_id: i32) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let Some(before) = legal_rules::table
            .find(id)
            .select(RuleRow::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(false);
        };
        diesel::delete(legal_rules::table.find(id)).execute(conn)?;
        let kept = serde_json::json!({
            "scope": before.scope, "target": before.target, "documents": before.documents,
            "applies_from": before.applies_from,
        });
        crate::models::audit::record(
            conn,
            actor_id,
            "legal_rule.remove",
            "legal_rule",
            id,
            Some(&kept),
            None,
        )?;
        crate::models::note_catalog_write();
        Ok(true)
    })
}

/// Saves `defaults` when there is no rule at all (a new shop); gives how many were saved.
pub fn ensure_defaults(conn: &mut DbConnection, defaults: &[LegalRule]) -> QueryResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        let have: i64 = legal_rules::table.count().get_result(conn)?;
        if have > 0 {
            return Ok(0);
        }
        for rule in defaults {
            insert(conn, rule, None)?;
        }
        Ok(defaults.len())
    })
}

/// What each product among `ids` still needs on `today` (ISO), by product id; a product that
/// needs nothing is left out. A document counts when it is verified and has not expired
/// (`domain::badge_is_public`), whether it names the product or, unit-wide, no product. Three
/// queries at most: the rules, the products they cover, those products' documents. The rules
/// are read afresh (the cart and checkout decide on them); public pages use
/// `badges_and_missing`.
pub fn missing_documents(
    conn: &mut DbConnection,
    ids: &[i32],
    today: &str,
) -> QueryResult<HashMap<i32, MissingDocuments>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let in_force: Vec<LegalRule> = rules(conn)?
        .iter()
        .filter_map(RuleRow::rule)
        .filter(|r| r.in_force(today))
        .collect();
    if in_force.is_empty() {
        return Ok(HashMap::new());
    }
    let covered: Vec<Covered> = products::table
        .inner_join(categories::table)
        .filter(products::id.eq_any(ids))
        .select((
            products::id,
            products::unit_id,
            categories::slug,
            products::kind,
        ))
        .load::<(i32, i32, String, String)>(conn)?
        .into_iter()
        .map(|(id, unit_id, slug, kind)| Covered {
            id,
            unit_id,
            slug,
            kind,
        })
        .filter(|c| c.is_covered_by(&in_force))
        .collect();
    if covered.is_empty() {
        return Ok(HashMap::new());
    }
    let product_ids: Vec<i32> = covered.iter().map(|c| c.id).collect();
    let documents = valid_documents(conn, &product_ids, &unit_ids_of(&covered), today)?;
    Ok(missing_of(&in_force, &covered, &documents, today))
}

/// A product a rule covers, with what the rules look at.
struct Covered {
    id: i32,
    unit_id: i32,
    slug: String,
    kind: String,
}

impl Covered {
    fn is_covered_by(&self, in_force: &[LegalRule]) -> bool {
        in_force.iter().any(|r| r.covers(&self.slug, &self.kind))
    }
}

/// The units of `covered`, each once.
fn unit_ids_of(covered: &[Covered]) -> Vec<i32> {
    let mut ids: Vec<i32> = covered.iter().map(|c| c.unit_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A verified, unexpired document: (unit, product or None for unit-wide, kind, number,
/// issuer, expires on).
type DocumentRow = (i32, Option<i32>, String, String, String, Option<String>);

/// The verified documents, unexpired on `today`, that name one of `product_ids` or, unit-wide,
/// belong to one of `unit_ids`; by product, then kind.
fn valid_documents(
    conn: &mut DbConnection,
    product_ids: &[i32],
    unit_ids: &[i32],
    today: &str,
) -> QueryResult<Vec<DocumentRow>> {
    certifications::table
        .filter(certifications::status.eq(CertificationStatus::Verified.code()))
        .filter(
            certifications::expires_on
                .is_null()
                .or(certifications::expires_on.ge(today)),
        )
        .filter(
            in_ids(certifications::product_id, product_ids).or(certifications::product_id
                .is_null()
                .and(in_ids(certifications::unit_id, unit_ids))),
        )
        .order((certifications::product_id, certifications::kind))
        .select((
            certifications::unit_id,
            certifications::product_id,
            certifications::kind,
            certifications::number,
            certifications::issuer,
            certifications::expires_on,
        ))
        .load(conn)
}

/// What the rules in force still ask of each product of `covered`, given `documents`; a
/// product that needs nothing is left out.
fn missing_of(
    in_force: &[LegalRule],
    covered: &[Covered],
    documents: &[DocumentRow],
    today: &str,
) -> HashMap<i32, MissingDocuments> {
    let mut out = HashMap::new();
    for c in covered {
        let held: Vec<CertificationKind> = documents
            .iter()
            .filter(|(unit, product, ..)| {
                *product == Some(c.id) || (product.is_none() && *unit == c.unit_id)
            })
            .filter_map(|(_, _, code, ..)| CertificationKind::parse(code).ok())
            .collect();
        let needs = legal::missing(in_force, &c.slug, &c.kind, &held, today);
        if !needs.is_empty() {
            out.insert(c.id, needs);
        }
    }
    out
}

/// What the legal check needs to know of a product it is shown with.
#[derive(Debug, Clone)]
pub struct ProductFacts {
    pub id: i32,
    pub unit_id: i32,
    pub category_id: i32,
    pub kind: String,
}

/// Every rule, and the slug of every category by id.
type RulesAndSlugs = (Vec<LegalRule>, HashMap<i32, String>);

/// The rules and the slug of every category, remembered for this catalogue generation and at
/// most five seconds (a rule change moves the generation on), so a public page pays no
/// statement for them.
fn remembered_rules(conn: &mut DbConnection) -> QueryResult<std::sync::Arc<RulesAndSlugs>> {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    type Remembered = (u64, Instant, Arc<RulesAndSlugs>);
    static REMEMBERED: Mutex<Option<Remembered>> = Mutex::new(None);
    let generation = crate::db::catalog_generation();
    if let Ok(guard) = REMEMBERED.lock() {
        if let Some((g, at, kept)) = guard.as_ref() {
            if *g == generation && at.elapsed() < Duration::from_secs(5) {
                return Ok(kept.clone());
            }
        }
    }
    let rules: Vec<LegalRule> = rules(conn)?.iter().filter_map(RuleRow::rule).collect();
    let slugs: HashMap<i32, String> = categories::table
        .select((categories::id, categories::slug))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let kept = Arc::new((rules, slugs));
    if let Ok(mut guard) = REMEMBERED.lock() {
        *guard = Some((generation, Instant::now(), kept.clone()));
    }
    Ok(kept)
}

/// For products shown on a public page, in one statement: their public badges (verified,
/// unexpired documents naming them), and what the legal rules still ask of each (a product
/// that needs nothing is left out), where unit-wide documents of their units count too.
pub fn badges_and_missing(
    conn: &mut DbConnection,
    facts: &[ProductFacts],
    today: &str,
) -> QueryResult<(
    Vec<crate::models::certification::BadgeRow>,
    HashMap<i32, MissingDocuments>,
)> {
    use crate::models::certification::BadgeRow;
    if facts.is_empty() {
        return Ok((Vec::new(), HashMap::new()));
    }
    let remembered = remembered_rules(conn)?;
    let (all_rules, slugs) = (&remembered.0, &remembered.1);
    let in_force: Vec<LegalRule> = all_rules
        .iter()
        .filter(|r| r.in_force(today))
        .cloned()
        .collect();
    let product_ids: Vec<i32> = facts.iter().map(|f| f.id).collect();
    let covered: Vec<Covered> = facts
        .iter()
        .map(|f| Covered {
            id: f.id,
            unit_id: f.unit_id,
            slug: slugs.get(&f.category_id).cloned().unwrap_or_default(),
            kind: f.kind.clone(),
        })
        .filter(|c| c.is_covered_by(&in_force))
        .collect();
    // Unit-wide documents matter only for products a rule covers.
    let rows = valid_documents(conn, &product_ids, &unit_ids_of(&covered), today)?;
    let missing = missing_of(&in_force, &covered, &rows, today);
    let badges = rows
        .into_iter()
        .filter(|(_, product, ..)| product.is_some())
        .map(
            |(_, product_id, kind, number, issuer, expires_on)| BadgeRow {
                product_id,
                kind,
                number,
                issuer,
                expires_on,
            },
        )
        .collect();
    Ok((badges, missing))
}
