//! The payment settings (`/kelola/pembayaran/rekening`): the bank accounts buyers transfer
//! into, one central account and a unit's own, and the account an order shows
//! (`domain::bank::payee`). At most one active central account and one active account per
//! unit: every write checks in its write transaction, and the database's partial unique
//! indexes refuse a second one that slipped past (the write is then refused the same way).

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::schema::{bank_accounts, order_items, shipments, units};
use crate::db::DbConnection;
use crate::domain::bank::{self, ActiveAccount, BankAccount, BankAccountDraft};

/// The message key of a write refused because the scope already has an active account.
pub const TAKEN: &str = "bank-accounts-error-taken";

/// A saved account.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bank_accounts)]
pub struct BankAccountRow {
    pub id: i32,
    /// None: the central account.
    pub unit_id: Option<i32>,
    pub bank_name: String,
    pub account_number: String,
    pub holder: String,
    /// 1, or 0 when deactivated.
    pub active: i32,
    pub created_at: i64,
    pub updated_at: i64,
}

impl BankAccountRow {
    pub fn is_active(&self) -> bool {
        self.active == 1
    }

    /// The account as buyers are shown it.
    pub fn account(&self) -> BankAccount {
        BankAccount {
            bank: self.bank_name.clone(),
            number: self.account_number.clone(),
            holder: self.holder.clone(),
        }
    }
}

/// An account of the administrators' list, with its unit's name (None: the central account).
#[derive(Debug, Clone)]
pub struct ListedAccount {
    pub row: BankAccountRow,
    pub unit_name: Option<String>,
}

/// Every account: the central ones first, then the units' by the unit's name; within one
/// scope the active account first, then the newest.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<ListedAccount>> {
    let rows: Vec<BankAccountRow> = bank_accounts::table
        .select(BankAccountRow::as_select())
        .load(conn)?;
    let unit_ids: Vec<i32> = rows.iter().filter_map(|r| r.unit_id).collect();
    let names: BTreeMap<i32, String> = units::table
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let mut listed: Vec<ListedAccount> = rows
        .into_iter()
        .map(|row| ListedAccount {
            unit_name: row.unit_id.and_then(|id| names.get(&id).cloned()),
            row,
        })
        .collect();
    listed.sort_by_cached_key(|a| {
        (
            a.row.unit_id.is_some(),
            a.unit_name.as_deref().map(str::to_lowercase),
            a.row.unit_id,
            std::cmp::Reverse(a.row.active),
            std::cmp::Reverse(a.row.id),
        )
    });
    Ok(listed)
}

/// The account `id`, if there is one.
pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<BankAccountRow>> {
    bank_accounts::table
        .find(id)
        .select(BankAccountRow::as_select())
        .first(conn)
        .optional()
}

/// The units an account may belong to, by name: (id, name).
pub fn unit_choices(conn: &mut DbConnection) -> QueryResult<Vec<(i32, String)>> {
    units::table
        .order((units::name.asc(), units::id.asc()))
        .select((units::id, units::name))
        .load(conn)
}

/// The active accounts that may be paid into for an order of `unit_ids`: the central one and
/// those of these units.
fn active_for_units(conn: &mut DbConnection, unit_ids: &[i32]) -> QueryResult<Vec<ActiveAccount>> {
    let rows: Vec<BankAccountRow> = bank_accounts::table
        .filter(bank_accounts::active.eq(1))
        .filter(
            bank_accounts::unit_id
                .is_null()
                .or(bank_accounts::unit_id.eq_any(unit_ids)),
        )
        .select(BankAccountRow::as_select())
        .load(conn)?;
    Ok(rows
        .iter()
        .map(|r| ActiveAccount {
            unit_id: r.unit_id,
            account: r.account(),
        })
        .collect())
}

/// The account the buyer of an order whose items come from `item_units` (one entry per item)
/// pays into: `domain::bank::payee` over the active accounts, `configured` (the `BANK_*`
/// settings) when there is no central one.
pub fn payee_for_units(
    conn: &mut DbConnection,
    item_units: &[i32],
    configured: &BankAccount,
) -> QueryResult<BankAccount> {
    let active = active_for_units(conn, item_units)?;
    Ok(bank::payee(item_units, &active, configured).clone())
}

/// `payee_for_units` for the items of order `order_id`.
pub fn payee_for_order(
    conn: &mut DbConnection,
    order_id: i32,
    configured: &BankAccount,
) -> QueryResult<BankAccount> {
    let item_units: Vec<i32> = order_items::table
        .inner_join(shipments::table)
        .filter(order_items::order_id.eq(order_id))
        .select(shipments::unit_id)
        .load(conn)?;
    payee_for_units(conn, &item_units, configured)
}

/// The id of the active account of scope `unit_id` (None: central) other than `except`.
fn active_in_scope(
    conn: &mut DbConnection,
    unit_id: Option<i32>,
    except: Option<i32>,
) -> QueryResult<Option<i32>> {
    let active: Vec<(i32, Option<i32>)> = bank_accounts::table
        .filter(bank_accounts::active.eq(1))
        .select((bank_accounts::id, bank_accounts::unit_id))
        .load(conn)?;
    Ok(active
        .into_iter()
        .find(|(id, unit)| *unit == unit_id && Some(*id) != except)
        .map(|(id, _)| id))
}

/// What the audit log keeps of an account.
fn audit_view(row: &BankAccountRow) -> serde_json::Value {
    serde_json::json!({
        "unit_id": row.unit_id, "bank": row.bank_name, "number": row.account_number,
        "holder": row.holder, "active": row.active,
    })
}

fn row(conn: &mut DbConnection, id: i32) -> QueryResult<BankAccountRow> {
    bank_accounts::table
        .find(id)
        .select(BankAccountRow::as_select())
        .first(conn)
}

/// A write the partial unique indexes refused (another writer made an active account of the
/// same scope first) is refused like one the check caught; the transaction was rolled back.
fn taken_on_conflict<T>(
    outcome: QueryResult<Result<T, &'static str>>,
) -> QueryResult<Result<T, &'static str>> {
    use diesel::result::{DatabaseErrorKind, Error};
    match outcome {
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(Err(TAKEN)),
        other => other,
    }
}

/// Adds an active account from the administrators' form; refused (`TAKEN`) when its scope
/// already has an active account. Gives the new account's id.
pub fn create(
    conn: &mut DbConnection,
    draft: &BankAccountDraft,
    actor_id: i32,
) -> QueryResult<Result<i32, &'static str>> {
    let outcome = crate::db::write_transaction(conn, |conn| -> QueryResult<Result<i32, _>> {
        if active_in_scope(conn, draft.unit_id, None)?.is_some() {
            return Ok(Err(TAKEN));
        }
        let now = crate::models::now_ts();
        diesel::insert_into(bank_accounts::table)
            .values((
                bank_accounts::unit_id.eq(draft.unit_id),
                bank_accounts::bank_name.eq(&draft.account.bank),
                bank_accounts::account_number.eq(&draft.account.number),
                bank_accounts::holder.eq(&draft.account.holder),
                bank_accounts::active.eq(1),
                bank_accounts::created_at.eq(now),
                bank_accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
        // The one active account of its scope is the one just added.
        let id =
            active_in_scope(conn, draft.unit_id, None)?.ok_or(diesel::result::Error::NotFound)?;
        let after = row(conn, id)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "bank_account.create",
            "bank_account",
            id,
            None,
            Some(&audit_view(&after)),
        )?;
        Ok(Ok(id))
    });
    taken_on_conflict(outcome)
}

/// Saves the administrators' form for account `id` (`NotFound` when there is none); an active
/// account moved to a scope that already has an active account is refused (`TAKEN`).
pub fn update(
    conn: &mut DbConnection,
    id: i32,
    draft: &BankAccountDraft,
    actor_id: i32,
) -> QueryResult<Result<(), &'static str>> {
    let outcome = crate::db::write_transaction(conn, |conn| -> QueryResult<Result<(), _>> {
        let before = row(conn, id)?;
        if before.is_active() && active_in_scope(conn, draft.unit_id, Some(id))?.is_some() {
            return Ok(Err(TAKEN));
        }
        diesel::update(bank_accounts::table.find(id))
            .set((
                bank_accounts::unit_id.eq(draft.unit_id),
                bank_accounts::bank_name.eq(&draft.account.bank),
                bank_accounts::account_number.eq(&draft.account.number),
                bank_accounts::holder.eq(&draft.account.holder),
                bank_accounts::updated_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        let after = row(conn, id)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "bank_account.edit",
            "bank_account",
            id,
            Some(&audit_view(&before)),
            Some(&audit_view(&after)),
        )?;
        Ok(Ok(()))
    });
    taken_on_conflict(outcome)
}

/// Deactivates account `id` (orders then show the next account the rule gives) or makes it
/// active again (`NotFound` when there is none). `Ok(false)` when it already was; reactivating
/// is refused (`TAKEN`) while its scope has another active account.
pub fn set_active(
    conn: &mut DbConnection,
    id: i32,
    active: bool,
    actor_id: i32,
) -> QueryResult<Result<bool, &'static str>> {
    let outcome = crate::db::write_transaction(conn, |conn| -> QueryResult<Result<bool, _>> {
        let before = row(conn, id)?;
        if before.is_active() == active {
            return Ok(Ok(false));
        }
        if active && active_in_scope(conn, before.unit_id, Some(id))?.is_some() {
            return Ok(Err(TAKEN));
        }
        diesel::update(bank_accounts::table.find(id))
            .set((
                bank_accounts::active.eq(i32::from(active)),
                bank_accounts::updated_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            if active {
                "bank_account.reactivate"
            } else {
                "bank_account.deactivate"
            },
            "bank_account",
            id,
            Some(&serde_json::json!({ "active": before.active })),
            Some(&serde_json::json!({ "active": i32::from(active) })),
        )?;
        Ok(Ok(true))
    });
    taken_on_conflict(outcome)
}
