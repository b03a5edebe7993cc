//! Fair organizers (`/kelola/pameran`): create events, move them through their states,
//! upload booth plans as CSV and decide on the units' applications.

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::fair::{self, DatesForm, DecisionForm, EventForm, EventStatus, MoveRefusal};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, Organizer, Staff,
};
use crate::i18n::Lang;
use crate::models::fair as model;
use crate::state::AppState;
use crate::views::fair_sales::{EventPage, EventsPage};
use crate::workflows::fairs::{
    correct_dates, decide_application, save_booth_plan, DatesOutcome, DecisionOutcome, PlanOutcome,
};

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

impl<'a> Refused<'a> {
    /// A refused booth plan.
    fn plan(problems: &'a [(u64, &'static str)]) -> Self {
        Self {
            problems,
            dates: None,
        }
    }

    /// Refused dates, as typed.
    fn dates(form: &'a DatesForm, errors: &'a FieldErrors) -> Self {
        Self {
            problems: &[],
            dates: Some((form, errors)),
        }
    }
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
    let page = EventPage::new(
        &event,
        &booths,
        &applications,
        refused.dates,
        refused.problems,
    );
    state.render_view_form("pages/staff/fair.html", ctx, &page, page.has_errors())
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
    let flash = match correct_dates(state.shop(), id, staff.actor.id, &post.form).await? {
        DatesOutcome::Saved => "fairs-dates-saved",
        DatesOutcome::Locked => "fairs-dates-locked",
        DatesOutcome::Invalid(errors) => {
            let refused = Refused::dates(&post.form, &errors);
            return render_event(&state, lang, &req, &staff, id, refused).await;
        }
    };
    set_flash(&staff.session, flash);
    Ok(see_other(&format!("/kelola/pameran/{id}")))
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
    let outcome = match upload {
        // Beyond the upload's limits.
        Err(_) => PlanOutcome::Refused(vec![(0, "import-error-too-many")]),
        Ok(upload) => {
            let upload = upload.into_inner();
            check_csrf(&staff.session, &upload.csrf_token)?;
            let csv = upload.file.map(|f| f.data).unwrap_or_default();
            save_booth_plan(state.shop(), id, staff.actor.id, &csv).await?
        }
    };
    match outcome {
        PlanOutcome::Saved => {
            set_flash(&staff.session, "fairs-booths-saved");
            Ok(see_other(&format!("/kelola/pameran/{id}")))
        }
        PlanOutcome::Refused(problems) => {
            render_event(&state, lang, &req, &staff, id, Refused::plan(&problems)).await
        }
    }
}

#[derive(Deserialize)]
pub struct DecisionPost {
    #[serde(default)]
    csrf_token: String,
    /// The event whose page the decision was sent from, to go back to.
    #[serde(default)]
    pameran: String,
    #[serde(flatten)]
    form: DecisionForm,
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
    let event_id = post.pameran.parse::<i32>().unwrap_or_default();
    let flash = match decide_application(state.shop(), id, staff.actor.id, &post.form).await? {
        DecisionOutcome::Decided => "fairs-decided",
        DecisionOutcome::Refused(key) => key,
    };
    set_flash(&staff.session, flash);
    Ok(see_other(&format!("/kelola/pameran/{event_id}")))
}
