//! Search, for administrators: the synonyms they add beside those of
//! `search-config/products.json` (`/kelola/sinonim`: the list, a new entry, removing one;
//! audited, in force in the search engine at once) and what shoppers searched over the last 30
//! days (`/kelola/pencarian`: the queries that found nothing and those whose results are
//! rarely opened, each with a one-step form that adds a synonym for its word, and the queries
//! searched most).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::search_stats;
use crate::domain::synonyms::SynonymForm;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser, CsrfOnly, Staff,
};
use crate::i18n::Lang;
use crate::models::{search_query, search_synonym};
use crate::state::AppState;
use crate::views::search_tuning::{SearchInsightsPage, SynonymsPage, Tallies};
use crate::workflows::synonyms::{self, SynonymAdded, SynonymRemoved};

/// Where the synonyms are, and where every change goes back to.
const SYNONYMS: &str = "/kelola/sinonim";
/// What shoppers searched.
const INSIGHTS: &str = "/kelola/pencarian";
/// Queries of each list on the insights page.
const LISTED: i64 = 25;

/// The entries and the form for a new one as typed, with what is wrong with it (422 then).
async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    form: &SynonymForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let rows = state.read(|c| Ok(search_synonym::list(c)?)).await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "synonyms-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = SynonymsPage::new(lang, &rows, form, errors);
    state.render_view_form("pages/staff/synonyms.html", ctx, &page, !errors.is_empty())
}

#[get("/kelola/sinonim")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    render(
        &state,
        lang,
        &req,
        &staff,
        &SynonymForm::blank(),
        &FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct SynonymPost {
    #[serde(default)]
    csrf_token: String,
    /// `pencarian` when sent from the insights page, which it goes back to.
    #[serde(default)]
    dari: String,
    #[serde(flatten)]
    form: SynonymForm,
}

/// `POST /kelola/sinonim`: a new entry (`word`, `synonyms` separated by commas, `two_way`).
#[post("/kelola/sinonim")]
pub async fn add(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    post: web::Form<SynonymPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    match synonyms::add_synonym(state.shop(), &post.form, staff.actor.id).await? {
        SynonymAdded::Invalid(errors) => {
            render(&state, lang, &req, &staff, &post.form, &errors).await
        }
        SynonymAdded::Saved { engine_told } => {
            set_flash(
                &staff.session,
                if engine_told {
                    "synonyms-flash-added"
                } else {
                    "synonyms-flash-added-later"
                },
            );
            Ok(see_other(if post.dari == "pencarian" {
                INSIGHTS
            } else {
                SYNONYMS
            }))
        }
    }
}

/// `POST /kelola/sinonim/{id}/hapus`: the entry no longer applies.
#[post("/kelola/sinonim/{id}/hapus")]
pub async fn remove(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let flash = match synonyms::remove_synonym(state.shop(), id, staff.actor.id).await? {
        SynonymRemoved::Removed { engine_told: true } => "synonyms-flash-removed",
        SynonymRemoved::Removed { engine_told: false } => "synonyms-flash-removed-later",
        SynonymRemoved::Gone => "synonyms-flash-gone",
    };
    set_flash(&staff.session, flash);
    Ok(see_other(SYNONYMS))
}

/// `GET /kelola/pencarian`: over the last 30 days, the queries that found nothing most often,
/// those whose results are rarely opened, and those searched most often.
#[get("/kelola/pencarian")]
pub async fn insights(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let today = crate::domain::impact::wib_day(crate::models::now_ts()).unwrap_or_default();
    let from = search_stats::insight_from(today);
    // The searches of the last seconds, counted in memory, are in the figures too.
    crate::workflows::search::write_search_counts(&state.db, &state.caches.searches).await?;
    let (zero, low, most) = state
        .read(move |c| {
            Ok((
                search_query::zero_result_queries(c, from, LISTED)?,
                search_query::low_click_queries(c, from, LISTED)?,
                search_query::most_searched(c, from, LISTED)?,
            ))
        })
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "search-insights-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let tallies = Tallies {
        zero_results: &zero,
        low_clicks: &low,
        most_searched: &most,
    };
    let page = SearchInsightsPage::new(lang, from, today, &tallies);
    state.render_view("pages/staff/search_insights.html", ctx, &page)
}
