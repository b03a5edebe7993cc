//! The back-office dashboard of every role and the product forms: `/kelola`,
//! `/kelola/produk/…`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AnyAccount, CsrfOnly, Staff,
    UnitStaff,
};
use crate::domain::dashboard::{ProductListFilter, Sections};
use crate::domain::{FieldErrors, ListingAction, ProductForm, ProductStatus};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::product::{self, Product};
use crate::models::{certification, legal, today_iso};
use crate::state::AppState;
use crate::views::dashboard::DashboardPage;
use crate::views::staff::{ProductFormPage, ProductFormRows};
use crate::workflows::photos::{add_photo, NewPhoto, PhotoOutcome};
use crate::workflows::products::{
    change_photo, save_product, EditOutcome, PhotoChange, PhotoChanged,
};

/// `?status=returned` or `?stok=rendah`: what the unit's product list is narrowed to.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    stok: String,
}

/// The dashboard of every role: for each part of the back office the account works in, its
/// numbers (each a link to the list behind it); for unit staff their unit's products below; for
/// observers and administrators the way to the oversight dashboard.
#[get("/kelola")]
pub async fn dashboard(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AnyAccount,
) -> Result<HttpResponse, AppError> {
    let query: DashboardQuery = crate::handlers::lenient_query(&req);
    let filter = ProductListFilter::parse(&query.status, &query.stok);
    let sections = Sections::of(&staff.actor);
    // "Today" is the day in WIB, the time the fairs and the directorate keep.
    let today = crate::domain::fair::fair_day(chrono::Utc::now());
    let now = crate::models::now_ts();
    let data = state
        .read(move |c| {
            Ok(crate::models::dashboard::read(
                c, &sections, filter, today, now,
            )?)
        })
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "staff-dashboard",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = DashboardPage::new(lang, &data, today, now);
    state.render_view("pages/staff/dashboard.html", ctx, &page)
}

/// Loads a product the account may manage: 404 when it does not exist, 403 when it belongs
/// to another unit.
async fn managed_product(state: &AppState, staff: &Staff, id: i32) -> Result<Product, AppError> {
    let found = state.db(move |c| Ok(product::by_id(c, id)?)).await?;
    let product = found.ok_or(AppError::NotFound)?;
    if !staff.actor.can_manage_unit(product.unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(product)
}

/// The layout context of the product form, and the categories, photos and documents it shows.
async fn form_context(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    product: Option<&Product>,
) -> Result<(tera::Context, ProductFormRows), AppError> {
    let title = if product.is_some() {
        "staff-edit-product"
    } else {
        "staff-new-product"
    };
    let ctx = staff_context(state, lang, req, title, Some(staff), &staff.session).await?;
    let caches = state.caches.clone();
    let product_id = product.map(|p| p.id);
    let rows = state
        .read(move |c| {
            let categories = caches.category_list(c)?;
            let (photos, documents, missing) = match product_id {
                Some(id) => (
                    product::photos_of(c, id)?,
                    certification::documents_of_product(c, id)?,
                    legal::missing_documents(c, &[id], &today_iso())?
                        .remove(&id)
                        .unwrap_or_default(),
                ),
                None => (Vec::new(), Vec::new(), Vec::new()),
            };
            Ok(ProductFormRows {
                categories,
                photos,
                documents,
                missing,
            })
        })
        .await?;
    Ok((ctx, rows))
}

/// Shows the product form: `photo_alt` is the photo description typed with a refused upload.
#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    product: Option<&Product>,
    form: &ProductForm,
    errors: &FieldErrors,
    photo_alt: &str,
) -> Result<HttpResponse, AppError> {
    let (ctx, rows) = form_context(state, lang, req, staff, product).await?;
    let today = today_iso();
    let mut page = ProductFormPage::new(lang, &rows, product, &today, form, errors);
    page.photo_alt = photo_alt.to_string();
    state.render_view_form(
        "pages/staff/product_form.html",
        ctx,
        &page,
        !errors.is_empty(),
    )
}

#[get("/kelola/produk/baru")]
pub async fn new_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let form = ProductForm {
        stock: "0".into(),
        ..ProductForm::default()
    };
    let errors = FieldErrors::new();
    render_form(&state, lang, &req, &staff, None, &form, &errors, "").await
}

#[derive(Deserialize)]
pub struct ProductPost {
    #[serde(default)]
    csrf_token: String,
    /// The stock shown when the form was opened.
    #[serde(default)]
    stock_was: String,
    #[serde(flatten)]
    form: ProductForm,
}

async fn category_ids(state: &AppState) -> Result<Vec<i32>, AppError> {
    let caches = state.caches.clone();
    let categories = state.read(move |c| Ok(caches.category_list(c)?)).await?;
    Ok(categories.iter().map(|c| c.id).collect())
}

#[post("/kelola/produk")]
pub async fn create(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    post: web::Form<ProductPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let unit_id = staff.unit_id();
    match post.form.validate(&category_ids(&state).await?) {
        Err(errors) => render_form(&state, lang, &req, &staff, None, &post.form, &errors, "").await,
        Ok(draft) => {
            let actor_id = staff.actor.id;
            let kind = draft.name.clone();
            let id = state
                .db(move |c| Ok(product::create_draft(c, unit_id, &draft, &kind, actor_id)?))
                .await?;
            set_flash(&staff.session, "flash-saved");
            Ok(see_other(&format!("/kelola/produk/{id}")))
        }
    }
}

fn form_of(p: &Product) -> ProductForm {
    ProductForm {
        name: p.name.clone(),
        description: p.description.clone(),
        description_en: p.description_en.clone(),
        category_id: p.category_id.to_string(),
        price: p.price.to_string(),
        stock: p.stock.to_string(),
        weight_g: p.weight_g.to_string(),
        length_cm: p.length_cm.to_string(),
        width_cm: p.width_cm.to_string(),
        height_cm: p.height_cm.to_string(),
    }
}

#[get("/kelola/produk/{id}")]
pub async fn edit_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let product = managed_product(&state, &staff, id_from_path(&path)?).await?;
    let form = form_of(&product);
    let errors = FieldErrors::new();
    render_form(
        &state,
        lang,
        &req,
        &staff,
        Some(&product),
        &form,
        &errors,
        "",
    )
    .await
}

#[post("/kelola/produk/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    post: web::Form<ProductPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let product = managed_product(&state, &staff, id_from_path(&path)?).await?;
    if !product.status.staff_may(ListingAction::Save) {
        return Ok(not_editable(&staff, product.id));
    }
    let (shop, actor_id) = (state.shop(), staff.actor.id);
    let outcome = save_product(shop, &product, &post.form, &post.stock_was, actor_id).await?;
    let (shown, form, errors) = match outcome {
        EditOutcome::Saved(flash) => {
            set_flash(&staff.session, flash);
            return Ok(see_other(&format!("/kelola/produk/{}", product.id)));
        }
        EditOutcome::Invalid(errors) => (product, post.form, errors),
        EditOutcome::StockChanged(fresh) => {
            // Orders changed the stock meanwhile: the current value, the rest as typed.
            let mut form = post.form;
            form.stock = fresh.stock.to_string();
            let errors = FieldErrors::from([("stock", "form-error-stock-changed")]);
            (*fresh, form, errors)
        }
    };
    render_form(&state, lang, &req, &staff, Some(&shown), &form, &errors, "").await
}

/// Back to the form of product `id`, saying its status does not let it change.
fn not_editable(staff: &Staff, id: i32) -> HttpResponse {
    set_flash(&staff.session, "flash-not-editable");
    see_other(&format!("/kelola/produk/{id}"))
}

/// Takes `action` on the product if its status allows it (`ProductStatus::staff_actions`);
/// otherwise changes nothing and says so.
async fn move_product(
    state: &AppState,
    staff: &Staff,
    raw_id: &str,
    csrf: &str,
    action: ListingAction,
    flash: &str,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, csrf)?;
    let product = managed_product(state, staff, id_from_path(raw_id)?).await?;
    let (id, actor_id) = (product.id, staff.actor.id);
    let next = action
        .moves_to()
        .filter(|_| product.status.staff_may(action));
    let moved = match next {
        Some(next) => {
            state
                .db(move |c| Ok(product::change_status(c, id, next, None, None, actor_id)?))
                .await?
        }
        None => false,
    };
    set_flash(
        &staff.session,
        if moved { flash } else { "flash-not-allowed" },
    );
    Ok(see_other(&format!("/kelola/produk/{id}")))
}

#[post("/kelola/produk/{id}/ajukan")]
pub async fn submit(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    post: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    move_product(
        &state,
        &staff,
        &path,
        &post.csrf_token,
        ListingAction::Submit,
        "flash-submitted",
    )
    .await
}

#[post("/kelola/produk/{id}/arsipkan")]
pub async fn archive(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    post: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    move_product(
        &state,
        &staff,
        &path,
        &post.csrf_token,
        ListingAction::Archive,
        "flash-archived",
    )
    .await
}

#[post("/kelola/produk/{id}/pulihkan")]
pub async fn restore(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    post: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    move_product(
        &state,
        &staff,
        &path,
        &post.csrf_token,
        ListingAction::Restore,
        "flash-restored",
    )
    .await
}

// ---- Photos ------------------------------------------------------------------------------

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};

#[derive(MultipartForm)]
pub struct PhotoUpload {
    #[multipart(limit = "1 KiB")]
    csrf_token: Text<String>,
    #[multipart(limit = "2 KiB")]
    alt: Option<Text<String>>,
    #[multipart(limit = "11 MiB")]
    photo: Option<UploadBytes>,
}

/// Shows the product form again with a photo message (and the alt text the user typed).
async fn photo_problem(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    product: &Product,
    key: &str,
    alt: &str,
) -> Result<HttpResponse, AppError> {
    let key: &'static str = match key {
        "image-error-empty" => "image-error-empty",
        "image-error-too-large" => "image-error-too-large",
        "image-error-not-image" => "image-error-not-image",
        "image-error-too-many-pixels" => "image-error-too-many-pixels",
        "image-error-alt" => "image-error-alt",
        _ => "image-error-corrupt",
    };
    let errors = FieldErrors::from([("photo", key)]);
    let form = form_of(product);
    render_form(state, lang, req, staff, Some(product), &form, &errors, alt).await
}

#[post("/kelola/produk/{id}/foto")]
pub async fn upload_photo(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    form: Result<MultipartForm<PhotoUpload>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let product = managed_product(&state, &staff, id_from_path(&path)?).await?;
    // Over the size limit or not a multipart form: nothing was stored.
    let Ok(form) = form.map(|f| f.into_inner()) else {
        let too_large = "image-error-too-large";
        return photo_problem(&state, lang, &req, &staff, &product, too_large, "").await;
    };
    check_csrf(&staff.session, &form.csrf_token)?;
    if !product.status.staff_may(ListingAction::Save) {
        return Ok(not_editable(&staff, product.id));
    }
    let alt: String = form
        .alt
        .map(|t| t.into_inner().trim().chars().take(200).collect())
        .unwrap_or_default();
    let photo = NewPhoto {
        product_id: product.id,
        alt: alt.clone(),
        bytes: form.photo.map(|p| Vec::from(p.data)).unwrap_or_default(),
        actor_id: staff.actor.id,
    };
    match add_photo(state.shop(), photo).await? {
        PhotoOutcome::Refused(key) => {
            photo_problem(&state, lang, &req, &staff, &product, key, &alt).await
        }
        PhotoOutcome::Added => {
            set_flash(&staff.session, "flash-photo-added");
            Ok(see_other(&format!("/kelola/produk/{}", product.id)))
        }
    }
}

#[post("/kelola/produk/{id}/foto/{photo}/{action}")]
pub async fn photo_action(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(String, String, String)>,
    post: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let (raw_id, raw_photo, action) = path.into_inner();
    let product = managed_product(&state, &staff, id_from_path(&raw_id)?).await?;
    let photo_id = id_from_path(&raw_photo)?;
    let change = PhotoChange::parse(&action).ok_or(AppError::NotFound)?;
    if !product.status.staff_may(ListingAction::Save) {
        return Ok(not_editable(&staff, product.id));
    }
    let (id, actor_id) = (product.id, staff.actor.id);
    match change_photo(state.shop(), id, photo_id, change, actor_id).await? {
        PhotoChanged::Missing => Err(AppError::NotFound),
        PhotoChanged::Done => {
            // A published listing goes back to review when its photos change.
            let flash = if product.status == ProductStatus::Published {
                "flash-photos-to-review"
            } else {
                change.done_message()
            };
            set_flash(&staff.session, flash);
            Ok(see_other(&format!("/kelola/produk/{id}")))
        }
    }
}
