//! The only code that differs per backend.

use diesel::RunQueryDsl;

use super::DbConnection;

/// A short name of the backend, for the health endpoint and logs.
pub fn backend_name(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgres(_) => "postgresql",
        DbConnection::Sqlite(_) => "sqlite",
    }
}

/// Runs the same diesel code on the concrete connection of either backend, for statements the
/// portable connection type cannot express (such as multi-row inserts).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Loads a select of queued rows for the worker that claims them, inside its write
/// transaction. On PostgreSQL the select ends in `FOR UPDATE SKIP LOCKED`: the rows stay
/// locked until the transaction ends and rows another worker's transaction holds are passed
/// over, so workers of several processes claiming at once each take different rows and never
/// wait for one another. On SQLite the same select runs plain: its write transaction (`BEGIN
/// IMMEDIATE`, `db::write_transaction`) holds the whole database, one worker at a time.
/// `$query` is a select of one table without `DISTINCT` or `GROUP BY`.
#[macro_export]
macro_rules! load_skip_locked {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres(pg) => diesel::RunQueryDsl::load(
                diesel::QueryDsl::skip_locked(diesel::QueryDsl::for_update($query)),
                pg,
            ),
            $crate::db::DbConnection::Sqlite(sqlite) => diesel::RunQueryDsl::load($query, sqlite),
        }
    };
}

/// A background job whose whole round only one worker at a time may do (`try_job_lock`).
/// Work claimed row by row (mail, the search outbox, reminders, unpaid orders) needs none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Marking the documents that expired (`models::certification::mark_expired`).
    DocumentExpiry,
    /// Deleting carts nobody touched for a month (`models::cart::purge_idle`).
    CartPurge,
}

impl Job {
    /// The job's PostgreSQL advisory lock key: `ETAL` in the upper half, so the shop's keys
    /// stay apart from those of anything else on the same server, the job in the lower half.
    pub fn lock_key(self) -> i64 {
        const ETALASE: i64 = 0x4554_414C << 32;
        ETALASE
            | match self {
                Job::DocumentExpiry => 1,
                Job::CartPurge => 2,
            }
    }
}

/// Call first inside the job's write transaction: whether this worker does `job`'s round now.
/// On PostgreSQL it takes the job's transaction-level advisory lock without waiting
/// (`pg_try_advisory_xact_lock`): false while another worker's transaction holds it, and that
/// worker is doing the round, so this one skips it. PostgreSQL releases the lock when the
/// transaction ends; a worker that takes it after the other committed sees what that one did.
/// On SQLite always true: the write transaction holds the whole database, so two rounds never
/// overlap.
pub fn try_job_lock(conn: &mut DbConnection, job: Job) -> diesel::QueryResult<bool> {
    #[derive(diesel::QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    match conn {
        DbConnection::Postgres(pg) => {
            diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind::<diesel::sql_types::BigInt, _>(job.lock_key())
                .get_result::<Locked>(pg)
                .map(|row| row.locked)
        }
        DbConnection::Sqlite(_) => Ok(true),
    }
}

/// Call first inside `job`'s write transaction: waits until no other worker's transaction
/// holds the job's lock (`pg_advisory_xact_lock`), so two workers doing the same deletes one
/// after the other never deadlock on the rows they both delete, in different orders. The
/// second then finds what the first left. On SQLite it returns at once: the write
/// transaction already holds the whole database.
pub fn wait_job_lock(conn: &mut DbConnection, job: Job) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(job.lock_key())
            .execute(pg)
            .map(|_| ()),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// `column IN (ids)` with the ids bound as one value, so the statement's text is the same for
/// any number of ids and stays prepared in the connection's cache (diesel prepares an
/// `eq_any` list of values anew on every run on SQLite, because its text changes with the
/// length of the list). SQLite reads a JSON array with `json_each`; PostgreSQL compares with
/// an array (`= ANY`). Built by [`in_ids`].
#[derive(Debug, Clone)]
pub struct InIds<C> {
    column: C,
    ids: Vec<i32>,
    json: String,
}

/// `column IN (ids)` for an integer column (nullable or not) as one bound value: see [`InIds`].
pub fn in_ids<C>(column: C, ids: &[i32]) -> InIds<C> {
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    InIds {
        column,
        ids: ids.to_vec(),
        json,
    }
}

impl<C> diesel::expression::Expression for InIds<C>
where
    C: diesel::expression::Expression,
    C::SqlType: diesel::sql_types::SqlType,
    <C::SqlType as diesel::sql_types::SqlType>::IsNull:
        diesel::sql_types::MaybeNullableType<diesel::sql_types::Bool>,
{
    type SqlType = <<C::SqlType as diesel::sql_types::SqlType>::IsNull as diesel::sql_types::MaybeNullableType<diesel::sql_types::Bool>>::Out;
}

impl<C, QS> diesel::expression::AppearsOnTable<QS> for InIds<C>
where
    C: diesel::expression::AppearsOnTable<QS>,
    Self: diesel::expression::Expression,
{
}

impl<C, QS> diesel::expression::SelectableExpression<QS> for InIds<C>
where
    C: diesel::expression::SelectableExpression<QS>,
    Self: diesel::expression::AppearsOnTable<QS>,
{
}

impl<C, G> diesel::expression::ValidGrouping<G> for InIds<C>
where
    C: diesel::expression::ValidGrouping<G>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C> diesel::query_builder::QueryId for InIds<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C> diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for InIds<C>
where
    C: diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> diesel::QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<diesel::sql_types::Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C> diesel::query_builder::QueryFragment<diesel::pg::Pg> for InIds<C>
where
    C: diesel::query_builder::QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> diesel::QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<diesel::sql_types::Array<diesel::sql_types::Integer>, _>(&self.ids)?;
        out.push_sql(")");
        Ok(())
    }
}

/// The portable connection's backend (`DbConnection`'s), which renders the SQL of the backend
/// of the connection at hand.
type Multi = <DbConnection as diesel::Connection>::Backend;

impl<C> diesel::query_builder::QueryFragment<Multi> for InIds<C>
where
    C: diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite>
        + diesel::query_builder::QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(
        &'b self,
        pass: diesel::query_builder::AstPass<'_, 'b, Multi>,
    ) -> diesel::QueryResult<()> {
        Multi::walk_variant_ast(self, pass)
    }
}

/// `(first, second) <= (a, b)` or `>=`: a row-value comparison, which both databases answer
/// from an index on `(…, first, second)` as a range (the keyset of deep listing pages). Its
/// text is the same for any values, so it stays prepared. Built by [`row_at_most`] and
/// [`row_at_least`].
#[derive(Debug, Clone, Copy)]
pub struct RowCompare<A, B> {
    first: A,
    second: B,
    at_least: bool,
    values: (i64, i32),
}

/// `(first, second) <= values`.
pub fn row_at_most<A, B>(first: A, second: B, values: (i64, i32)) -> RowCompare<A, B> {
    RowCompare {
        first,
        second,
        at_least: false,
        values,
    }
}

/// `(first, second) >= values`.
pub fn row_at_least<A, B>(first: A, second: B, values: (i64, i32)) -> RowCompare<A, B> {
    RowCompare {
        first,
        second,
        at_least: true,
        values,
    }
}

impl<A, B> diesel::expression::Expression for RowCompare<A, B> {
    type SqlType = diesel::sql_types::Bool;
}

impl<A, B, QS> diesel::expression::AppearsOnTable<QS> for RowCompare<A, B>
where
    A: diesel::expression::AppearsOnTable<QS>,
    B: diesel::expression::AppearsOnTable<QS>,
{
}

impl<A, B, QS> diesel::expression::SelectableExpression<QS> for RowCompare<A, B>
where
    A: diesel::expression::SelectableExpression<QS>,
    B: diesel::expression::SelectableExpression<QS>,
{
}

impl<A, B> diesel::expression::ValidGrouping<()> for RowCompare<A, B> {
    type IsAggregate = diesel::expression::is_aggregate::No;
}

impl<A, B> diesel::query_builder::QueryId for RowCompare<A, B> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<A, B, DB> diesel::query_builder::QueryFragment<DB> for RowCompare<A, B>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<diesel::sql_types::BigInt>
        + diesel::sql_types::HasSqlType<diesel::sql_types::Integer>,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
    i32: diesel::serialize::ToSql<diesel::sql_types::Integer, DB>,
    A: diesel::query_builder::QueryFragment<DB>,
    B: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> diesel::QueryResult<()> {
        out.push_sql("(");
        self.first.walk_ast(out.reborrow())?;
        out.push_sql(", ");
        self.second.walk_ast(out.reborrow())?;
        out.push_sql(if self.at_least { ") >= (" } else { ") <= (" });
        out.push_bind_param::<diesel::sql_types::BigInt, _>(&self.values.0)?;
        out.push_sql(", ");
        out.push_bind_param::<diesel::sql_types::Integer, _>(&self.values.1)?;
        out.push_sql(")");
        Ok(())
    }
}
