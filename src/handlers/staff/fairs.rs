//! Unit staff at fairs (`/kelola/pameran-saya`): apply for a booth while applications are
//! open, and see their applications.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::{check_csrf, id_from_path, see_other, set_flash, staff_context, UnitStaff};
use crate::domain::fair::EventStatus;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::fair as model;
use crate::models::product;
use crate::state::AppState;
use crate::views::fair_sales::{MyApplication, MyFairsPage};

#[get("/kelola/pameran-saya")]
pub async fn my_fairs(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let (events, mine, products) = state
        .db(move |c| {
            let events: Vec<_> = model::public_events(c)?
                .into_iter()
                .filter(|e| e.status == EventStatus::Open)
                .collect();
            Ok((
                events,
                model::applications_of_unit(c, unit_id)?,
                product::unit_products(c, unit_id)?,
            ))
        })
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "fairs-mine",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = MyFairsPage {
        events: &events,
        mine: mine
            .iter()
            .map(|(event_id, event, event_status, status, booth, reason)| {
                let event_status = EventStatus::from_code(event_status);
                MyApplication {
                    event_id: *event_id,
                    event,
                    till_open: event_status.is_some_and(EventStatus::takes_sales),
                    report_open: event_status.is_some_and(EventStatus::is_public),
                    status,
                    booth: booth.as_deref(),
                    reason: reason.as_deref(),
                }
            })
            .collect(),
        products: products
            .iter()
            .filter(|p| p.status == crate::domain::ProductStatus::Published)
            .take(50)
            .map(|p| crate::views::Choice {
                id: p.id,
                name: &p.name,
            })
            .collect(),
    };
    state.render_view("pages/staff/my_fairs.html", ctx, &page)
}

#[post("/kelola/pameran/{id}/daftar")]
pub async fn apply(
    state: web::Data<AppState>,
    staff: UnitStaff,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let event_id = id_from_path(&path)?;
    // Repeated `produk` fields: read the form by hand.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    check_csrf(&staff.session, &field("csrf_token"))?;
    let booth_kind = field("jenis");
    let contact_name: String = field("penanggung_jawab").chars().take(100).collect();
    let contact_phone = crate::domain::order::whatsapp_number(&field("telepon"));
    let valid_kind = ["standard", "corner", "food_power"].contains(&booth_kind.as_str());
    let (Some(phone), true, true) = (contact_phone, valid_kind, contact_name.chars().count() >= 2)
    else {
        set_flash(&staff.session, "fairs-apply-invalid");
        return Ok(see_other("/kelola/pameran-saya"));
    };
    let application = model::Application {
        booth_kind,
        product_ids: pairs
            .iter()
            .filter(|(k, _)| k == "produk")
            .filter_map(|(_, v)| v.parse().ok())
            .take(50)
            .collect(),
        needs_power: field("listrik") == "1",
        needs_table: field("meja") == "1",
        contact_name,
        contact_phone: phone,
    };
    let actor_id = staff.actor.id;
    let today = crate::models::today_iso();
    let outcome = state
        .db(move |c| {
            Ok(model::apply(
                c,
                event_id,
                unit_id,
                &application,
                &today,
                actor_id,
            )?)
        })
        .await?;
    set_flash(
        &staff.session,
        match outcome {
            Ok(_) => "fairs-applied",
            Err(model::ApplyProblem::Closed) => "fairs-apply-closed",
            Err(model::ApplyProblem::AlreadyApplied) => "fairs-apply-twice",
        },
    );
    Ok(see_other("/kelola/pameran-saya"))
}
