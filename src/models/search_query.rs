//! What was searched on `/cari`, counted per day and query (`search_queries`,
//! `domain::search_stats`): one upsert a search, one update a result opened, the
//! administrators' tallies of the last days, and the purge of old days.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::upsert::excluded;

use crate::db::schema::{products, search_queries};
use crate::db::DbConnection;
use crate::domain::impact::day_text;
use crate::domain::search_stats::{self, LOW_CLICK_MIN_SEARCHES, LOW_CLICK_PERCENT};
use crate::domain::{ProductStatus, Slug};

/// Counts one search of `query` on `day` (`YYYY-MM-DD`) that found `found` products: one
/// statement, whichever process and however many at once.
pub fn count(conn: &mut DbConnection, query: &str, day: &str, found: u64) -> QueryResult<()> {
    let last_count = i32::try_from(found).unwrap_or(i32::MAX);
    add(conn, query, day, 1, i32::from(found == 0), last_count)
}

/// Adds the searches counted in memory (`services::cache::SearchTally`), in one transaction.
pub fn count_many(
    conn: &mut DbConnection,
    counts: &[(String, String, crate::domain::search_stats::PendingCount)],
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |c| {
        for (query, day, n) in counts {
            add(c, query, day, n.searches, n.zero_results, n.last_count)?;
        }
        Ok(())
    })
}

/// Adds `searches` searches of `query` on `day`, `zero` of them finding nothing, the latest
/// finding `last_count`: one statement, whichever process and however many at once.
fn add(
    conn: &mut DbConnection,
    query: &str,
    day: &str,
    searches: i32,
    zero: i32,
    last_count: i32,
) -> QueryResult<()> {
    crate::on_backend!(conn, |c| diesel::insert_into(search_queries::table)
        .values((
            search_queries::query.eq(query),
            search_queries::day.eq(day),
            search_queries::searches.eq(searches),
            search_queries::zero_results.eq(zero),
            search_queries::last_count.eq(last_count),
            search_queries::clicks.eq(0),
        ))
        .on_conflict((search_queries::query, search_queries::day))
        .do_update()
        .set((
            search_queries::searches
                .eq(search_queries::searches + excluded(search_queries::searches)),
            search_queries::zero_results
                .eq(search_queries::zero_results + excluded(search_queries::zero_results)),
            search_queries::last_count.eq(excluded(search_queries::last_count)),
        ))
        .execute(c))
    .map(drop)
}

/// Counts one product opened from the results of `query` on `day` (`YYYY-MM-DD`): only when
/// `query` was already counted that day (`count`) and `product` is a published product. Never
/// inserts a row, so text nobody searched is never kept. Gives whether it was counted.
pub fn count_click(
    conn: &mut DbConnection,
    query: &str,
    day: &str,
    product: &Slug,
) -> QueryResult<bool> {
    let published: i64 = products::table
        .filter(products::slug.eq(product.as_str()))
        .filter(products::status.eq(ProductStatus::Published.code()))
        .count()
        .get_result(conn)?;
    if published == 0 {
        return Ok(false);
    }
    let changed = diesel::update(
        search_queries::table
            .filter(search_queries::query.eq(query))
            .filter(search_queries::day.eq(day)),
    )
    .set(search_queries::clicks.eq(search_queries::clicks + 1))
    .execute(conn)?;
    Ok(changed > 0)
}

/// A query's counts added up over days.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct QueryTally {
    #[diesel(sql_type = Text)]
    pub query: String,
    #[diesel(sql_type = BigInt)]
    pub searches: i64,
    #[diesel(sql_type = BigInt)]
    pub zero_results: i64,
    /// What the latest search of it found.
    #[diesel(sql_type = BigInt)]
    pub last_count: i64,
    /// Products opened from its results.
    #[diesel(sql_type = BigInt)]
    pub clicks: i64,
}

/// Which queries a tally lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listed {
    /// Those that ever found nothing, those that found nothing most often first.
    ZeroResults,
    /// Every query, those searched most often first.
    MostSearched,
    /// Those whose results are rarely opened (`search_stats::is_low_click`), those searched
    /// most often first.
    LowClicks,
}

/// The queries searched from `from` on, added up: those `listed` names, `limit` of them.
fn tallies(
    conn: &mut DbConnection,
    from: NaiveDate,
    listed: Listed,
    limit: i64,
) -> QueryResult<Vec<QueryTally>> {
    // `from` is a day the program made, `limit` and the thresholds numbers: nothing typed
    // reaches the text.
    let (having, order) = match listed {
        Listed::ZeroResults => (
            " HAVING SUM(s.zero_results) > 0".to_string(),
            "zero_results DESC, searches DESC",
        ),
        Listed::MostSearched => (String::new(), "searches DESC, zero_results DESC"),
        Listed::LowClicks => (
            format!(
                " HAVING SUM(s.searches) - SUM(s.zero_results) >= {LOW_CLICK_MIN_SEARCHES} \
                 AND SUM(s.clicks) * 100 < \
                 (SUM(s.searches) - SUM(s.zero_results)) * {LOW_CLICK_PERCENT}"
            ),
            "searches DESC, clicks ASC",
        ),
    };
    diesel::sql_query(format!(
        "SELECT s.\"query\" AS \"query\", \
         CAST(SUM(s.searches) AS BIGINT) AS searches, \
         CAST(SUM(s.zero_results) AS BIGINT) AS zero_results, \
         CAST(COALESCE((SELECT l.last_count FROM search_queries l \
         WHERE l.\"query\" = s.\"query\" ORDER BY l.day DESC LIMIT 1), 0) AS BIGINT) \
         AS last_count, \
         CAST(SUM(s.clicks) AS BIGINT) AS clicks \
         FROM search_queries s WHERE s.day >= '{from}' \
         GROUP BY s.\"query\"{having} ORDER BY {order}, s.\"query\" LIMIT {limit}",
        from = day_text(from),
    ))
    .load(conn)
}

/// The queries that found nothing most often from `from` on.
pub fn zero_result_queries(
    conn: &mut DbConnection,
    from: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<QueryTally>> {
    tallies(conn, from, Listed::ZeroResults, limit)
}

/// The queries searched most often from `from` on.
pub fn most_searched(
    conn: &mut DbConnection,
    from: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<QueryTally>> {
    tallies(conn, from, Listed::MostSearched, limit)
}

/// The queries whose results were opened too rarely from `from` on
/// (`domain::search_stats::is_low_click`), those searched most often first.
pub fn low_click_queries(
    conn: &mut DbConnection,
    from: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<QueryTally>> {
    tallies(conn, from, Listed::LowClicks, limit)
}

/// Deletes the days `domain::search_stats::KEEP_DAYS` behind `today`; gives how many rows.
pub fn purge_old(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<usize> {
    let keep_from = day_text(search_stats::keep_from(today));
    diesel::delete(search_queries::table.filter(search_queries::day.lt(keep_from))).execute(conn)
}
