//! Legal status rules (`legal_rules`, the rule itself is `domain::legal`) and what each
//! product still needs of them. Changing a rule changes what catalogue pages show (the
//! "Menunggu legalitas" badge, the buy button): it moves the catalogue generation on.

use std::collections::HashMap;

use diesel::prelude::*;

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
/// queries at most: the rules, the products they cover, those products' documents.
pub fn missing_documents(
    conn: &mut DbConnection,
    ids: &[i32],
    today: &str,
) -> QueryResult<HashMap<i32, MissingDocuments>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let in_force: Vec<LegalRule> = rules(conn)?
        .iter()
        .filter_map(RuleRow::rule)
        .filter(|r| r.in_force(today))
        .collect();
    if in_force.is_empty() {
        return Ok(out);
    }
    let covered: Vec<(i32, i32, String, String)> = products::table
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
        .filter(|(_, _, category, kind)| in_force.iter().any(|r| r.covers(category, kind)))
        .collect();
    if covered.is_empty() {
        return Ok(out);
    }
    let product_ids: Vec<i32> = covered.iter().map(|(id, _, _, _)| *id).collect();
    let mut unit_ids: Vec<i32> = covered.iter().map(|(_, unit, _, _)| *unit).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let documents: Vec<(i32, Option<i32>, String)> = certifications::table
        .filter(certifications::status.eq(CertificationStatus::Verified.code()))
        .filter(
            certifications::expires_on
                .is_null()
                .or(certifications::expires_on.ge(today)),
        )
        .filter(
            certifications::product_id
                .eq_any(&product_ids)
                .or(certifications::product_id
                    .is_null()
                    .and(certifications::unit_id.eq_any(&unit_ids))),
        )
        .select((
            certifications::unit_id,
            certifications::product_id,
            certifications::kind,
        ))
        .load(conn)?;
    for (id, unit_id, category, kind) in covered {
        let held: Vec<CertificationKind> = documents
            .iter()
            .filter(|(unit, product, _)| {
                *product == Some(id) || (product.is_none() && *unit == unit_id)
            })
            .filter_map(|(_, _, code)| CertificationKind::parse(code).ok())
            .collect();
        let needs = legal::missing(&in_force, &category, &kind, &held, today);
        if !needs.is_empty() {
            out.insert(id, needs);
        }
    }
    Ok(out)
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
    let in_force: Vec<&LegalRule> = all_rules.iter().filter(|r| r.in_force(today)).collect();
    let product_ids: Vec<i32> = facts.iter().map(|f| f.id).collect();
    // Unit-wide documents matter only for products a rule covers.
    let mut unit_ids: Vec<i32> = facts
        .iter()
        .filter(|f| {
            let slug = slugs.get(&f.category_id).map_or("", String::as_str);
            in_force.iter().any(|r| r.covers(slug, &f.kind))
        })
        .map(|f| f.unit_id)
        .collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    type DocumentRow = (i32, Option<i32>, String, String, String, Option<String>);
    let rows: Vec<DocumentRow> = certifications::table
        .filter(certifications::status.eq(CertificationStatus::Verified.code()))
        .filter(
            certifications::expires_on
                .is_null()
                .or(certifications::expires_on.ge(today)),
        )
        .filter(
            certifications::product_id
                .eq_any(&product_ids)
                .or(certifications::product_id
                    .is_null()
                    .and(certifications::unit_id.eq_any(&unit_ids))),
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
        .load(conn)?;
    let mut missing = HashMap::new();
    let in_force: Vec<LegalRule> = in_force.into_iter().cloned().collect();
    for f in facts {
        let slug = slugs.get(&f.category_id).map_or("", String::as_str);
        if !in_force.iter().any(|r| r.covers(slug, &f.kind)) {
            continue;
        }
        let held: Vec<CertificationKind> = rows
            .iter()
            .filter(|(unit, product, ..)| {
                *product == Some(f.id) || (product.is_none() && *unit == f.unit_id)
            })
            .filter_map(|(_, _, code, ..)| CertificationKind::parse(code).ok())
            .collect();
        let needs = legal::missing(&in_force, slug, &f.kind, &held, today);
        if !needs.is_empty() {
            missing.insert(f.id, needs);
        }
    }
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
