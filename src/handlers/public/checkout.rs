//! Checkout: `/checkout` (contact and address), `/checkout/kirim` (one shipment per unit and
//! the payment method), `/checkout/tinjau` (review every total, then place the order with a
//! POST to `/checkout/kirim`), and the buyer's order page (`/pesanan/{secret}`), where a
//! Midtrans order is paid through the channel chosen (`POST /pesanan/{secret}/bayar`).

use std::collections::BTreeMap;

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::cart::cart_token;
use super::{same_language, Page};
use crate::domain::midtrans::Channel;
use crate::domain::order::{CartNotice, CheckoutForm, Contact};
use crate::domain::{FieldErrors, FormKey, IdempotencyKey, OrderSecret, Secret};
use crate::error::AppError;
use crate::handlers::account::see_other;
use crate::handlers::limits::ShopLimiters;
use crate::i18n::Lang;
use crate::models::order::{self, OrderProblem};
use crate::models::{cart, catalog};
use crate::services::payments::PaymentMethod;
use crate::state::AppState;
use crate::views::shop::{ContactPage, OrderPage, ReviewPage, ShippingPage};
use crate::workflows::checkout::{
    checkout_cart, order_by_secret, place_order, BuyerOrder, CheckoutCart, CheckoutStep, PlaceOrder,
};
use crate::workflows::midtrans::{choose_channel, ChannelOutcome};

/// How long an unpaid card order keeps its stock: `PAYMENT_EXPIRY_HOURS` (default 24). Bank
/// transfers hold it for `TRANSFER_HOLD_HOURS` (default 12).
fn to_cart(req: &HttpRequest, notice: CartNotice) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", same_language(req, &notice.cart_url())))
        .finish()
}

async fn cart_of(state: &AppState, req: &HttpRequest) -> Result<Option<i32>, AppError> {
    let Some(token) = cart_token(req) else {
        return Ok(None);
    };
    state
        .db(move |c| Ok(cart::cart_id(c, &token, false)?))
        .await
}

async fn render_contact(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    form: &CheckoutForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let layout = Page::load(state, req).await?;
    let provinces = state.db(move |c| Ok(catalog::all_provinces(c)?)).await?;
    let frame = layout.frame();
    let title = lang.text("checkout-title");
    let ctx = frame.context(&title, &title, "/checkout", None, "website");
    let page = ContactPage::new(&provinces, form, errors);
    state.render_view_form("pages/public/checkout.html", ctx, &page, !errors.is_empty())
}

#[get("/checkout")]
pub async fn contact_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let Some(cart_id) = cart_of(&state, &req).await? else {
        return Ok(to_cart(&req, CartNotice::Empty));
    };
    let saved = state
        .db(move |c| Ok(cart::checkout_json(c, cart_id)?))
        .await?;
    let form: CheckoutForm = saved
        .and_then(|j| serde_json::from_str::<Contact>(&j).ok())
        .map(|c| CheckoutForm {
            name: c.name,
            email: c.email.into(),
            phone: c.phone.into(),
            province_id: c.province_id.to_string(),
            city: c.city,
            district: c.district,
            postal_code: c.postal_code.into(),
            address: c.address,
        })
        .unwrap_or_default();
    render_contact(&state, lang, &req, &form, &FieldErrors::new()).await
}

#[post("/checkout")]
pub async fn save_contact(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    form: web::Form<CheckoutForm>,
) -> Result<HttpResponse, AppError> {
    let Some(cart_id) = cart_of(&state, &req).await? else {
        return Ok(to_cart(&req, CartNotice::Empty));
    };
    let province_ids: Vec<i32> = state
        .db(|c| Ok(catalog::all_provinces(c)?))
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    match form.validate(&province_ids) {
        Err(errors) => render_contact(&state, lang, &req, &form, &errors).await,
        Ok(contact) => {
            let json = serde_json::to_string(&contact).map_err(AppError::internal)?;
            state
                .db(move |c| Ok(cart::save_checkout(c, cart_id, &json)?))
                .await?;
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", same_language(&req, "/checkout/kirim")))
                .finish())
        }
    }
}

#[get("/checkout/kirim")]
pub async fn shipping_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    render_shipping(&state, lang, &req, None).await
}

/// The checkout of this visitor's cart with the page layout, or where to send them instead.
enum Loaded {
    Ready(Page, Box<CheckoutCart>),
    Elsewhere(HttpResponse),
}

/// Loads the checkout of this visitor's cart: an empty or changed cart goes back to the cart,
/// one without contact details to the first step.
async fn load_checkout(state: &AppState, req: &HttpRequest) -> Result<Loaded, AppError> {
    let Some(cart_id) = cart_of(state, req).await? else {
        return Ok(Loaded::Elsewhere(to_cart(req, CartNotice::Empty)));
    };
    let layout = Page::load(state, req).await?;
    Ok(match checkout_cart(state.shop(), cart_id).await? {
        CheckoutStep::Ready(checkout) => Loaded::Ready(layout, checkout),
        CheckoutStep::NeedsContact => {
            Loaded::Elsewhere(see_other(&same_language(req, "/checkout")))
        }
        CheckoutStep::CartChanged => {
            Loaded::Elsewhere(to_cart(req, CartNotice::CheckoutCartChanged))
        }
    })
}

async fn render_shipping(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    problem: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let (layout, checkout) = match load_checkout(state, req).await? {
        Loaded::Ready(layout, checkout) => (layout, checkout),
        Loaded::Elsewhere(elsewhere) => return Ok(elsewhere),
    };
    let frame = layout.frame();
    let title = lang.text("checkout-shipping-title");
    let ctx = frame.context(&title, &title, "/checkout/kirim", None, "website");
    let page = ShippingPage::new(
        &checkout.contact,
        &checkout.lines,
        &checkout.shipping,
        problem,
        state.payments.offers(PaymentMethod::Card),
        state.payments.offers(PaymentMethod::Midtrans),
        crate::models::fresh::<FormKey>(),
    );
    state.render_view_form(
        "pages/public/checkout_shipping.html",
        ctx,
        &page,
        problem.is_some(),
    )
}

/// `GET /checkout/tinjau` (a bookmark, or the address bar): back to the shipping step, where
/// the choices are made.
#[get("/checkout/tinjau")]
pub async fn review_again(req: HttpRequest) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", same_language(&req, "/checkout/kirim")))
        .finish()
}

/// `POST /checkout/tinjau`: the review step. The buyer's shipping and payment choices with
/// every total (products, shipping per unit, what to pay), and the button that places the
/// order (a POST to `/checkout/kirim` carrying the same choices). The form's order key comes
/// by POST, never in an address.
#[post("/checkout/tinjau")]
pub async fn review(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    form: web::Form<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let query = form.into_inner();
    let field = |k: &str| query.get(k).map_or("", |v| v.trim());
    let Some(payment) =
        PaymentMethod::from_form(field("bayar")).filter(|m| state.payments.offers(*m))
    else {
        return render_shipping(&state, lang, &req, Some("checkout-bad-payment")).await;
    };
    let (layout, checkout) = match load_checkout(&state, &req).await? {
        Loaded::Ready(layout, checkout) => (layout, checkout),
        Loaded::Elsewhere(elsewhere) => return Ok(elsewhere),
    };
    let seen = field("isi");
    if !seen.is_empty() && seen != cart::fingerprint(&checkout.lines) {
        return Ok(to_cart(&req, CartNotice::CheckoutCartChanged));
    }
    let Some(chosen) = chosen_options(&checkout.shipping, &shipping_choices(&query)) else {
        return render_shipping(&state, lang, &req, Some("checkout-bad-shipping")).await;
    };
    let frame = layout.frame();
    let title = lang.text("checkout-review-title");
    let ctx = frame.context(&title, &title, "/checkout/tinjau", None, "website");
    let page = ReviewPage::new(
        &checkout.contact,
        &checkout.lines,
        chosen,
        payment,
        field("bayar").to_string(),
        field("kunci").to_string(),
    );
    let page = state.render_view("pages/public/checkout_review.html", ctx, &page)?;
    Ok(no_store(page))
}

/// The option chosen for each unit's parcel, as (unit, brand, items total, option); `None`
/// when a unit has no choice or one it does not offer.
fn chosen_options<'a>(
    shipping: &'a order::UnitShipping,
    choices: &BTreeMap<i32, String>,
) -> Option<Vec<(i32, &'a str, i64, &'a crate::domain::order::ShippingOption)>> {
    shipping
        .iter()
        .map(|(unit_id, (brand, items, options))| {
            let code = choices.get(unit_id)?;
            let option = options.iter().find(|o| &o.code == code)?;
            Some((*unit_id, brand.as_str(), *items, option))
        })
        .collect()
}

/// Keeps a page out of every cache (it shows a buyer's own details).
fn no_store(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("private, no-store"),
    );
    res
}

/// Unit id → shipping option code, from the `kirim_{unit}` fields of a form.
fn shipping_choices(fields: &BTreeMap<String, String>) -> BTreeMap<i32, String> {
    fields
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("kirim_")
                .and_then(|id| id.parse::<i32>().ok())
                .map(|id| (id, v.chars().take(40).collect()))
        })
        .collect()
}

#[derive(Deserialize)]
pub struct PlaceForm {
    #[serde(default)]
    kunci: String,
    /// The cart as the buyer saw it (`cart::fingerprint`).
    #[serde(default)]
    isi: String,
    /// `transfer`, `kartu` or `midtrans`.
    #[serde(default)]
    bayar: String,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

#[post("/checkout/kirim")]
pub async fn place(
    state: web::Data<AppState>,
    limiters: web::Data<ShopLimiters>,
    lang: Lang,
    req: HttpRequest,
    form: web::Form<PlaceForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let Some(cart_id) = cart_of(&state, &req).await? else {
        return Ok(to_cart(&req, CartNotice::Empty));
    };
    if !limiters.orders.allows(&req) {
        return Ok(super::cart::too_many_requests());
    }
    let request = match place_request(&state, cart_id, &form) {
        Ok(request) => request,
        Err(problem) => return render_shipping(&state, lang, &req, Some(problem)).await,
    };
    match place_order(state.shop(), request).await {
        Ok(placed) => {
            if placed.new {
                tracing::info!(order_id = placed.order_id, "order placed");
            }
            // The cart is empty now: so is the header's count.
            let order = same_language(&req, &format!("/pesanan/{}", placed.secret));
            super::cart::with_count(see_other(&order), 0)
        }
        Err(OrderProblem::BadShipping) => {
            render_shipping(&state, lang, &req, Some("checkout-bad-shipping")).await
        }
        Err(problem) => back_to_cart(&req, problem),
    }
}

/// The order the shipping form asks for, or the key of the message saying what is wrong (a
/// stale page without its key, a payment method not offered).
fn place_request(
    state: &AppState,
    cart_id: i32,
    form: &PlaceForm,
) -> Result<PlaceOrder, &'static str> {
    let key = FormKey::parse(&form.kunci).ok_or("checkout-stale")?;
    let payment = PaymentMethod::from_form(form.bayar.trim())
        .filter(|method| state.payments.offers(*method))
        .ok_or("checkout-bad-payment")?;
    Ok(PlaceOrder {
        cart_id,
        // The key counts only with the cart it was made for.
        key: IdempotencyKey::of_cart(cart_id, &key),
        payment,
        choices: shipping_choices(&form.rest),
        seen: form.isi.chars().take(64).collect(),
    })
}

/// Where a refused order sends the buyer: back to the cart, saying why.
fn back_to_cart(req: &HttpRequest, problem: OrderProblem) -> Result<HttpResponse, AppError> {
    let notice = match problem {
        OrderProblem::EmptyCart => CartNotice::Empty,
        OrderProblem::TooManyUnpaid => CartNotice::TooManyUnpaid,
        OrderProblem::CartChanged | OrderProblem::SoldOut(_) | OrderProblem::BadShipping => {
            CartNotice::CheckoutCartChanged
        }
        OrderProblem::Db(e) | OrderProblem::Duplicate(e) => {
            tracing::error!(error = %e, "placing an order failed");
            return Err(AppError::Internal(e));
        }
    };
    Ok(to_cart(req, notice))
}

#[get("/pesanan/{secret}")]
pub async fn order_page(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = order_secret(path.into_inner())?;
    let layout = Page::load(&state, &req).await?;
    let BuyerOrder {
        view: (order, shipments, items),
        card,
        online,
        payee: bank,
    } = order_by_secret(state.shop(), &secret)
        .await?
        .ok_or(AppError::NotFound)?;
    let frame = layout.frame();
    let title = lang.text_with("order-title", &[("code", order.code.clone().into())]);
    let ctx = frame.context(&title, &title, req.path(), None, "website");
    let page = OrderPage::new(
        lang,
        &order,
        &shipments,
        &items,
        &bank,
        secret.as_str(),
        card.as_ref(),
        online.as_ref(),
        online_problem(&req),
        &state.base_url,
        req.query_string().contains("redirect_status="),
    );
    let res = no_store(state.render_view("pages/public/order.html", ctx, &page)?);
    Ok(with_card_scripts(&state, res, page.card.is_some()))
}

/// The message of `?bayar=…`, where choosing a Midtrans channel sends the buyer back when it
/// did not work.
fn online_problem(req: &HttpRequest) -> Option<&'static str> {
    req.query_string().split('&').find_map(|pair| match pair {
        "bayar=gagal" => Some("order-online-unavailable"),
        "bayar=ganti-gagal" => Some("order-online-switch-failed"),
        _ => None,
    })
}

#[derive(Deserialize)]
pub struct PayForm {
    /// The Midtrans channel (`domain::midtrans::Channel::code`).
    #[serde(default)]
    cara: String,
}

/// `POST /pesanan/{secret}/bayar`: the buyer of an unpaid Midtrans order pays through the
/// channel chosen (`cara`); a charge open through another one is cancelled first. Back to the
/// order page, which shows what to do next, or (`?bayar=…`) what went wrong.
#[post("/pesanan/{secret}/bayar")]
pub async fn choose_payment(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<PayForm>,
) -> Result<HttpResponse, AppError> {
    let secret = order_secret(path.into_inner())?;
    let channel = Channel::parse(form.cara.trim())
        .ok_or_else(|| AppError::BadRequest("unknown payment channel".into()))?;
    let outcome = choose_channel(state.shop(), &secret, channel)
        .await?
        .ok_or(AppError::NotFound)?;
    let query = match outcome {
        ChannelOutcome::Charged | ChannelOutcome::NotPayable => "",
        ChannelOutcome::Unavailable => "?bayar=gagal",
        ChannelOutcome::SwitchRefused => "?bayar=ganti-gagal",
    };
    Ok(see_other(&same_language(
        &req,
        &format!("/pesanan/{secret}{query}"),
    )))
}

/// Only the page that mounts Stripe's Payment Element lets Stripe's script and frames in.
fn with_card_scripts(state: &AppState, mut res: HttpResponse, card: bool) -> HttpResponse {
    let Some(stripe) = state.settings.stripe.as_ref().filter(|_| card) else {
        return res;
    };
    let policy =
        crate::handlers::security::csp_with_stripe(&stripe.js_url, stripe.api_base.as_deref());
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&policy) {
        res.headers_mut()
            .insert(actix_web::http::header::CONTENT_SECURITY_POLICY, value);
    }
    res
}

/// The secret of an order's link; anything else is not found.
fn order_secret(raw: String) -> Result<OrderSecret, AppError> {
    OrderSecret::parse(&raw).ok_or(AppError::NotFound)
}

/// Runs `change` on the order behind a secret link and gives what it returned (whether the
/// order changed); not found when there is no such order.
async fn change_order(
    state: &AppState,
    secret: &OrderSecret,
    change: impl FnOnce(&mut crate::models::DbConnection, i32) -> diesel::QueryResult<bool>
        + Send
        + 'static,
) -> Result<bool, AppError> {
    let secret = secret.clone();
    let changed = state
        .db(move |c| match order::id_by_secret(c, secret.as_str())? {
            Some(id) => Ok(Some(change(c, id)?)),
            None => Ok(None),
        })
        .await?;
    changed.ok_or(AppError::NotFound)
}

/// `POST /pesanan/{secret}/batal`: the buyer cancels an order that is not paid yet; its stock
/// goes back at once.
#[post("/pesanan/{secret}/batal")]
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = order_secret(path.into_inner())?;
    let cancelled = change_order(&state, &secret, |c, id| {
        order::cancel_unpaid(c, id, crate::models::now_ts())
    })
    .await?;
    if cancelled {
        // Close its provider payment (Stripe, Midtrans) now rather than at the next expiry
        // round.
        let state = state.clone();
        actix_web::rt::spawn(async move {
            crate::services::payments::void_ended(&state.db, &state.payments).await;
        });
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((
            "Location",
            same_language(&req, &format!("/pesanan/{secret}")),
        ))
        .finish())
}

/// `POST /pesanan/{secret}/diterima`: the buyer confirms that a shipped order arrived.
#[post("/pesanan/{secret}/diterima")]
pub async fn received(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = order_secret(path.into_inner())?;
    change_order(&state, &secret, order::confirm_delivered).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            "Location",
            same_language(&req, &format!("/pesanan/{secret}")),
        ))
        .finish())
}
