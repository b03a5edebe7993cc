//! Fair organizers (`/kelola/pameran`): create events, move them through their states,
//! upload booth plans as CSV and decide on the units' applications.

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::fair::{self, DatesForm, EventForm, EventStatus, MoveRefusal};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, Organizer, Staff,
};
use crate::i18n::Lang;
use crate::models::fair as model;
use crate::state::AppState;
use crate::views::fair_sales::{EventPage, EventsPage, FreeBooth, PlanProblem};

async fn render_list(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    form: &EventForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let events = state.db(|c| Ok(model::all_events(c)?)).await?;
    let ctx = staff_context(state, lang, req, "fairs-title", Some(staff), &staff.session).await?;
    let page = EventsPage {
        events: &events,
        form,
        errors,
    };
    state.render_view_form("pages/staff/fairs.html", ctx, &page, !errors.is_empty())
}

#[get("/kelola/pameran")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Organizer,
) -> Result<HttpResponse, AppError> {
    render_list(
        &state,
        lang,
        &req,
        &staff,
        &EventForm::default(),
        &FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct EventPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: EventForm,
}

#[post("/kelola/pameran")]
pub async fn create(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Organizer,
    post: web::Form<EventPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    match post.form.validate() {
        Err(errors) => render_list(&state, lang, &req, &staff, &post.form, &errors).await,
        Ok(draft) => {
            let actor_id = staff.actor.id;
            let id = state
                .db(move |c| Ok(model::create_event(c, &draft, actor_id)?))
                .await?;
            set_flash(&staff.session, "flash-saved");
            Ok(see_other(&format!("/kelola/pameran/{id}")))
        }
    }
}

/// What the organizer's event page shows again after a refused form: the booth plan's
/// problems by line, or the dates as typed with their errors.
#[derive(Default)]
struct Refused<'a> {
    problems: &'a [(u64, &'static str)],
    dates: Option<(&'a DatesForm, &'a FieldErrors)>,
}

async fn render_event(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    id: i32,
    refused: Refused<'_>,
) -> Result<HttpResponse, AppError> {
    let (event, booths, applications) = state
        .db(move |c| {
            Ok((
                model::event_by_id(c, id)?,
                model::booths_of(c, id)?,
                model::applications_of(c, id)?,
            ))
        })
        .await?;
    let event = event.ok_or(AppError::NotFound)?;
    let ctx = staff_context(state, lang, req, "fairs-title", Some(staff), &staff.session).await?;
    let taken: Vec<&str> = applications
        .iter()
        .filter_map(|a| a.booth_code.as_deref())
        .collect();
    let stored = DatesForm {
        starts_on: event.starts_on.clone(),
        ends_on: event.ends_on.clone(),
        applications_open_on: event.applications_open_on.clone(),
        applications_close_on: event.applications_close_on.clone(),
    };
    let no_errors = FieldErrors::new();
    let (dates, date_errors) = refused.dates.unwrap_or((&stored, &no_errors));
    let page = EventPage {
        event: &event,
        event_public: event.status.is_public(),
        booths: &booths,
        free_booths: booths
            .iter()
            .filter(|b| !taken.contains(&b.code.as_str()))
            .map(|b| FreeBooth {
                id: b.id,
                code: &b.code,
                kind: &b.kind,
            })
            .collect(),
        applications: &applications,
        next_statuses: EventStatus::ALL
            .iter()
            .filter(|s| event.status.can_become(**s))
            .map(|s| s.code())
            .collect(),
        dates_editable: event.status.dates_editable(),
        dates,
        date_errors,
        problems: refused
            .problems
            .iter()
            .map(|&(line, key)| PlanProblem { line, key })
            .collect(),
        columns: fair::BOOTH_COLUMNS.join(","),
    };
    let has_errors = !page.problems.is_empty() || !date_errors.is_empty();
    state.render_view_form("pages/staff/fair.html", ctx, &page, has_errors)
}

#[get("/kelola/pameran/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render_event(
        &state,
        lang,
        &req,
        &staff,
        id_from_path(&path)?,
        Refused::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct StatusPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
}

#[post("/kelola/pameran/{id}/status")]
pub async fn change_status(
    state: web::Data<AppState>,
    staff: Organizer,
    path: web::Path<String>,
    post: web::Form<StatusPost>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let id = id_from_path(&path)?;
    let next = EventStatus::parse(&post.status).ok_or(AppError::BadRequest("status".into()))?;
    let actor_id = staff.actor.id;
    let today = fair::fair_day(chrono::Utc::now());
    let moved = state
        .db(move |c| Ok(model::change_event_status(c, id, next, today, actor_id)?))
        .await?;
    set_flash(
        &staff.session,
        match moved {
            Ok(()) => "flash-saved",
            Err(MoveRefusal::NotNextStep) => "flash-not-allowed",
            Err(MoveRefusal::BeforeStart) => "fairs-live-before-start",
            Err(MoveRefusal::AfterEnd) => "fairs-live-after-end",
        },
    );
    Ok(see_other(&format!("/kelola/pameran/{id}")))
}

#[derive(Deserialize)]
pub struct DatesPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: DatesForm,
}

/// `POST /kelola/pameran/{id}/tanggal`: corrects the event's dates, until the fair goes live.
#[post("/kelola/pameran/{id}/tanggal")]
pub async fn change_dates(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Organizer,
    path: web::Path<String>,
    post: web::Form<DatesPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let id = id_from_path(&path)?;
    match post.form.validate() {
        Err(errors) => {
            let refused = Refused {
                problems: &[],
                dates: Some((&post.form, &errors)),
            };
            render_event(&state, lang, &req, &staff, id, refused).await
        }
        Ok(dates) => {
            let actor_id = staff.actor.id;
            let changed = state
                .db(move |c| Ok(model::change_event_dates(c, id, &dates, actor_id)?))
                .await?;
            set_flash(
                &staff.session,
                if changed {
                    "fairs-dates-saved"
                } else {
                    "fairs-dates-locked"
                },
            );
            Ok(see_other(&format!("/kelola/pameran/{id}")))
        }
    }
}

#[derive(MultipartForm)]
pub struct BoothUpload {
    #[multipart(limit = "1 KiB")]
    csrf_token: Text<String>,
    #[multipart(limit = "1 MiB")]
    file: Option<UploadBytes>,
}

#[post("/kelola/pameran/{id}/stan")]
pub async fn upload_booths(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Organizer,
    path: web::Path<String>,
    upload: Result<MultipartForm<BoothUpload>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let id = id_from_path(&path)?;
    let Ok(upload) = upload else {
        let problems = [(0, "import-error-too-many")];
        let refused = Refused {
            problems: &problems,
            dates: None,
        };
        return render_event(&state, lang, &req, &staff, id, refused).await;
    };
    let upload = upload.into_inner();
    check_csrf(&staff.session, &upload.csrf_token)?;
    let bytes = upload.file.map(|f| f.data).unwrap_or_default();
    match fair::parse_booths(&bytes) {
        Err(problems) => {
            let refused = Refused {
                problems: &problems,
                dates: None,
            };
            render_event(&state, lang, &req, &staff, id, refused).await
        }
        Ok(rows) => {
            let actor_id = staff.actor.id;
            let saved = state
                .db(move |c| {
                    if model::event_by_id(c, id)?.is_none() {
                        return Ok(None);
                    }
                    Ok(Some(model::replace_booths(c, id, &rows, actor_id)?))
                })
                .await?;
            match saved.ok_or(AppError::NotFound)? {
                model::BoothPlanSaved::Saved => {
                    set_flash(&staff.session, "fairs-booths-saved");
                    Ok(see_other(&format!("/kelola/pameran/{id}")))
                }
                model::BoothPlanSaved::InUse(codes) => {
                    tracing::info!(?codes, event = id, "booth plan kept: booths in use");
                    render_event(
                        &state,
                        lang,
                        &req,
                        &staff,
                        id,
                        Refused {
                            problems: &[(0, "fairs-booths-in-use")],
                            ..Refused::default()
                        },
                    )
                    .await
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct DecisionPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    keputusan: String,
    #[serde(default)]
    stan: String,
    #[serde(default)]
    alasan: String,
    #[serde(default)]
    pameran: String,
}

#[post("/kelola/pameran/lamaran/{id}")]
pub async fn decide(
    state: web::Data<AppState>,
    staff: Organizer,
    path: web::Path<String>,
    post: web::Form<DecisionPost>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let id = id_from_path(&path)?;
    let back = format!(
        "/kelola/pameran/{}",
        post.pameran.parse::<i32>().unwrap_or_default()
    );
    let reason: String = post.alasan.trim().chars().take(500).collect();
    let decision = match post.keputusan.as_str() {
        "setujui" => match post.stan.parse::<i32>() {
            Ok(booth_id) => model::Decision::Approve { booth_id },
            Err(_) => {
                set_flash(&staff.session, "fairs-choose-booth");
                return Ok(see_other(&back));
            }
        },
        "tunggu" => model::Decision::Waitlist,
        "tolak" if reason.chars().count() >= 5 => model::Decision::Reject { reason },
        "tolak" => {
            set_flash(&staff.session, "review-reason-required");
            return Ok(see_other(&back));
        }
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let (actor_id, mail) = (staff.actor.id, state.mail.clone());
    let outcome = state
        .db(move |c| Ok(model::decide(c, id, &decision, actor_id, &mail)?))
        .await?;
    set_flash(
        &staff.session,
        match outcome {
            Ok(()) => "fairs-decided",
            Err(model::DecisionProblem::BoothTaken) => "fairs-booth-taken",
            Err(model::DecisionProblem::WrongBooth) => "fairs-choose-booth",
            Err(model::DecisionProblem::NotFound) => return Err(AppError::NotFound),
        },
    );
    Ok(see_other(&back))
}
