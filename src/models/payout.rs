//! Payout tracking (`payouts`, `payout_months_closed`; the rules are `domain::payouts`): what
//! a unit owes of each month's sales, the entries its treasurer records, closing a month, and
//! the administrators' summary by unit and province. Every entry and every closing is audited.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use diesel::prelude::*;

use crate::db::schema::{
    orders, payout_months_closed, payouts, provinces, shipments, units, users,
};
use crate::db::DbConnection;
use crate::domain::order::{OrderStatus, ShipmentStatus};
use crate::domain::payouts::{
    self as settle, Month, MonthStatement, PayoutDraft, PayoutEntry, PayoutKind, PayoutRefusal,
    Shares,
};

/// A recorded entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payouts)]
pub struct PayoutRow {
    pub id: i32,
    pub unit_id: i32,
    /// `YYYY-MM`.
    pub month: String,
    #[diesel(deserialize_as = String)]
    pub kind: PayoutKind,
    pub amount: i64,
    /// ISO day.
    pub paid_on: String,
    pub ntpn: Option<String>,
    /// The entry this one corrects and replaces.
    pub corrects_id: Option<i32>,
    pub recorded_by: i32,
    pub created_at: i64,
}

impl PayoutRow {
    /// The entry as the sums need it; None when its month cannot be read.
    pub fn entry(&self) -> Option<PayoutEntry> {
        Some(PayoutEntry {
            id: self.id,
            month: Month::parse(&self.month)?,
            kind: self.kind,
            amount: self.amount,
            corrects: self.corrects_id,
        })
    }
}

/// An entry of a unit's list, with who recorded it and the entry that replaced it.
#[derive(Debug, Clone)]
pub struct ListedPayout {
    pub row: PayoutRow,
    pub recorded_by_name: String,
    /// The correction that replaces this entry, if one does.
    pub corrected_by: Option<i32>,
}

/// A unit's payouts: each month with what it owes and settles (newest first), and every
/// entry (newest first).
#[derive(Debug, Clone)]
pub struct Ledger {
    pub unit_id: i32,
    pub unit_name: String,
    pub months: Vec<MonthStatement>,
    pub entries: Vec<ListedPayout>,
}

/// The order statuses whose parcels owe their shares (`OrderStatus::counts_as_sold`).
fn sold_codes() -> Vec<&'static str> {
    OrderStatus::ALL
        .into_iter()
        .filter(|s| s.counts_as_sold())
        .map(|s| s.code())
        .collect()
}

/// What unit `unit_id` owes per month of payment (WIB): the wage and PNBP shares of its
/// parcels (not cancelled) of orders paid and still counted as sold.
pub fn owed_by_month(
    conn: &mut DbConnection,
    unit_id: i32,
) -> QueryResult<BTreeMap<Month, Shares>> {
    let rows: Vec<(Option<i64>, i64, i64)> = shipments::table
        .inner_join(orders::table)
        .filter(shipments::unit_id.eq(unit_id))
        .filter(orders::paid_at.is_not_null())
        .filter(orders::status.eq_any(sold_codes()))
        .filter(shipments::status.ne(ShipmentStatus::Cancelled.code()))
        .select((
            orders::paid_at,
            shipments::share_wage,
            shipments::share_pnbp,
        ))
        .load(conn)?;
    let mut out: BTreeMap<Month, Shares> = BTreeMap::new();
    for (paid_at, wage, pnbp) in rows {
        let Some(ts) = paid_at else {
            continue;
        };
        let shares = out.entry(Month::of_timestamp(ts)).or_default();
        shares.wage += wage;
        shares.pnbp += pnbp;
    }
    Ok(out)
}

/// The months of unit `unit_id` that are closed.
pub fn closed_months(conn: &mut DbConnection, unit_id: i32) -> QueryResult<BTreeSet<Month>> {
    let months: Vec<String> = payout_months_closed::table
        .filter(payout_months_closed::unit_id.eq(unit_id))
        .select(payout_months_closed::month)
        .load(conn)?;
    Ok(months.iter().filter_map(|m| Month::parse(m)).collect())
}

fn is_closed(conn: &mut DbConnection, unit_id: i32, month: Month) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        payout_months_closed::table
            .filter(payout_months_closed::unit_id.eq(unit_id))
            .filter(payout_months_closed::month.eq(month.code())),
    ))
    .get_result(conn)
}

/// The name of unit `unit_id`, if there is one.
pub fn unit_name(conn: &mut DbConnection, unit_id: i32) -> QueryResult<Option<String>> {
    units::table
        .find(unit_id)
        .select(units::name)
        .first(conn)
        .optional()
}

/// Entry `id` of unit `unit_id`, if it is one of the unit's.
pub fn entry_of(conn: &mut DbConnection, unit_id: i32, id: i32) -> QueryResult<Option<PayoutRow>> {
    payouts::table
        .find(id)
        .filter(payouts::unit_id.eq(unit_id))
        .select(PayoutRow::as_select())
        .first(conn)
        .optional()
}

/// The payouts of unit `unit_id`; None when there is no such unit.
pub fn ledger(conn: &mut DbConnection, unit_id: i32) -> QueryResult<Option<Ledger>> {
    let Some(unit_name) = unit_name(conn, unit_id)? else {
        return Ok(None);
    };
    let rows: Vec<PayoutRow> = payouts::table
        .filter(payouts::unit_id.eq(unit_id))
        .order(payouts::id.desc())
        .select(PayoutRow::as_select())
        .load(conn)?;
    let entries: Vec<PayoutEntry> = rows.iter().filter_map(PayoutRow::entry).collect();
    let settled = settle::settled(&entries);
    let owed = owed_by_month(conn, unit_id)?;
    let closed = closed_months(conn, unit_id)?;
    let recorders: Vec<i32> = rows.iter().map(|r| r.recorded_by).collect();
    let names: HashMap<i32, String> = users::table
        .filter(users::id.eq_any(&recorders))
        .select((users::id, users::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let corrected_by: HashMap<i32, i32> = rows
        .iter()
        .filter_map(|r| r.corrects_id.map(|c| (c, r.id)))
        .collect();
    let listed = rows
        .into_iter()
        .map(|row| ListedPayout {
            recorded_by_name: names.get(&row.recorded_by).cloned().unwrap_or_default(),
            corrected_by: corrected_by.get(&row.id).copied(),
            row,
        })
        .collect();
    Ok(Some(Ledger {
        unit_id,
        unit_name,
        months: settle::statements(&owed, &settled, &closed),
        entries: listed,
    }))
}

/// What the audit log keeps of an entry.
fn audit_view(unit_id: i32, draft: &PayoutDraft) -> serde_json::Value {
    serde_json::json!({
        "unit_id": unit_id, "month": draft.month.code(), "kind": draft.kind,
        "amount": draft.amount, "paid_on": draft.paid_on, "ntpn": draft.ntpn,
        "corrects": draft.corrects,
    })
}

/// Records an entry of unit `unit_id`, audited; gives its id. Refused when its month is closed
/// (a new entry), or when the entry it corrects is not one of the unit's of the same month and
/// kind, or was corrected already (two corrections of one entry sent at once: the second).
pub fn record(
    conn: &mut DbConnection,
    unit_id: i32,
    draft: &PayoutDraft,
    actor_id: i32,
) -> QueryResult<Result<i32, PayoutRefusal>> {
    let outcome = crate::db::write_transaction(conn, |conn| {
        if let Some(corrected) = draft.corrects {
            let target = entry_of(conn, unit_id, corrected)?;
            let taken: bool = diesel::select(diesel::dsl::exists(
                payouts::table.filter(payouts::corrects_id.eq(corrected)),
            ))
            .get_result(conn)?;
            let fits =
                target.is_some_and(|t| t.month == draft.month.code() && t.kind == draft.kind);
            if !fits || taken {
                return Ok(Err(PayoutRefusal::NotCorrectable));
            }
        }
        let closed = is_closed(conn, unit_id, draft.month)?;
        if let Err(refusal) = settle::may_record(closed, draft.corrects) {
            return Ok(Err(refusal));
        }
        diesel::insert_into(payouts::table)
            .values((
                payouts::unit_id.eq(unit_id),
                payouts::month.eq(draft.month.code()),
                payouts::kind.eq(draft.kind.code()),
                payouts::amount.eq(draft.amount),
                payouts::paid_on.eq(&draft.paid_on),
                payouts::ntpn.eq(draft.ntpn.as_deref()),
                payouts::corrects_id.eq(draft.corrects),
                payouts::recorded_by.eq(actor_id),
                payouts::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        let id: i32 = payouts::table
            .order(payouts::id.desc())
            .select(payouts::id)
            .first(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            if draft.corrects.is_some() {
                "payout.correct"
            } else {
                "payout.record"
            },
            "payout",
            id,
            None,
            Some(&audit_view(unit_id, draft)),
        )?;
        Ok(Ok(id))
    });
    match outcome {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(Err(PayoutRefusal::NotCorrectable)),
        other => other,
    }
}

/// Closes month `month` of unit `unit_id`, audited. False when it was closed already.
pub fn close_month(
    conn: &mut DbConnection,
    unit_id: i32,
    month: Month,
    actor_id: i32,
) -> QueryResult<bool> {
    let outcome = crate::db::write_transaction(conn, |conn| {
        if is_closed(conn, unit_id, month)? {
            return Ok(false);
        }
        diesel::insert_into(payout_months_closed::table)
            .values((
                payout_months_closed::unit_id.eq(unit_id),
                payout_months_closed::month.eq(month.code()),
                payout_months_closed::closed_by.eq(actor_id),
                payout_months_closed::closed_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "payout.close_month",
            "unit",
            unit_id,
            None,
            Some(&serde_json::json!({"month": month.code()})),
        )?;
        Ok(true)
    });
    match outcome {
        // Closed at the same moment by someone else.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        other => other,
    }
}

/// One unit's month in the administrators' summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMonth {
    pub unit_id: i32,
    pub unit_name: String,
    pub province_id: i32,
    pub province_name: String,
    pub owed: Shares,
    pub settled: Shares,
    pub closed: bool,
}

/// Every unit that owes, settled or closed something for month `month`, by province name and
/// unit name.
pub fn summary(conn: &mut DbConnection, month: Month) -> QueryResult<Vec<UnitMonth>> {
    let (start, end) = month.wib_bounds();
    let code = month.code();
    let owed_rows: Vec<(i32, i64, i64)> = shipments::table
        .inner_join(orders::table)
        .filter(orders::paid_at.ge(start))
        .filter(orders::paid_at.lt(end))
        .filter(orders::status.eq_any(sold_codes()))
        .filter(shipments::status.ne(ShipmentStatus::Cancelled.code()))
        .select((
            shipments::unit_id,
            shipments::share_wage,
            shipments::share_pnbp,
        ))
        .load(conn)?;
    let mut owed: HashMap<i32, Shares> = HashMap::new();
    for (unit_id, wage, pnbp) in owed_rows {
        let shares = owed.entry(unit_id).or_default();
        shares.wage += wage;
        shares.pnbp += pnbp;
    }
    let rows: Vec<PayoutRow> = payouts::table
        .filter(payouts::month.eq(&code))
        .select(PayoutRow::as_select())
        .load(conn)?;
    let mut entries: HashMap<i32, Vec<PayoutEntry>> = HashMap::new();
    for row in &rows {
        if let Some(entry) = row.entry() {
            entries.entry(row.unit_id).or_default().push(entry);
        }
    }
    // A correction names an entry of the same unit and month: each unit's entries settle
    // on their own.
    let settled: HashMap<i32, Shares> = entries
        .iter()
        .map(|(unit_id, list)| {
            let sums = settle::settled(list);
            (*unit_id, sums.get(&month).copied().unwrap_or_default())
        })
        .collect();
    let closed: HashSet<i32> = payout_months_closed::table
        .filter(payout_months_closed::month.eq(&code))
        .select(payout_months_closed::unit_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    let mut unit_ids: Vec<i32> = owed
        .keys()
        .chain(settled.keys())
        .chain(closed.iter())
        .copied()
        .collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let found: Vec<(i32, String, i32, String)> = units::table
        .inner_join(provinces::table)
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::name, provinces::id, provinces::name))
        .load(conn)?;
    let mut out: Vec<UnitMonth> = found
        .into_iter()
        .map(
            |(unit_id, unit_name, province_id, province_name)| UnitMonth {
                owed: owed.get(&unit_id).copied().unwrap_or_default(),
                settled: settled.get(&unit_id).copied().unwrap_or_default(),
                closed: closed.contains(&unit_id),
                unit_id,
                unit_name,
                province_id,
                province_name,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        (&a.province_name, &a.unit_name, a.unit_id).cmp(&(
            &b.province_name,
            &b.unit_name,
            b.unit_id,
        ))
    });
    Ok(out)
}
