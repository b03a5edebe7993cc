//! `/keranjang`: the guest cart. A random token in a cookie names the cart row, so the cart
//! survives a restart; quantities are checked against stock on every change and on display.

use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::Page;
use crate::domain::order::CartNotice;
use crate::domain::{CartToken, Quantity, Secret};
use crate::error::AppError;
use crate::handlers::limits::ShopLimiters;
use crate::i18n::Lang;
use crate::models::cart::{self, CartLine, CartRefusal};
use crate::models::DbConnection;
use crate::state::AppState;

pub const CART_COOKIE: &str = "etalase_keranjang";

/// The number of pieces in the cart, for the badge in the header. Catalogue pages are cached
/// for every visitor alike, so the count cannot be written into them: a small script reads
/// this cookie instead (`public/js/cart-count.js`). It holds nothing but the number.
pub const COUNT_COOKIE: &str = "etalase_jumlah";

pub fn count_cookie(pieces: i64) -> Cookie<'static> {
    Cookie::build(COUNT_COOKIE, pieces.max(0).to_string())
        .path("/")
        .http_only(false)
        .same_site(SameSite::Lax)
        .max_age(Duration::days(30))
        .finish()
}

/// `res` with the badge's count set to `pieces`.
pub fn with_count(mut res: HttpResponse, pieces: i64) -> Result<HttpResponse, AppError> {
    res.add_cookie(&count_cookie(pieces))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(res)
}

pub fn cart_token(req: &HttpRequest) -> Option<CartToken> {
    CartToken::parse(req.cookie(CART_COOKIE)?.value())
}

fn cart_cookie(token: &CartToken) -> Cookie<'static> {
    Cookie::build(CART_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(Duration::days(30))
        .finish()
}

#[derive(Deserialize)]
pub struct CartChange {
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    quantity: String,
}

impl CartChange {
    /// The product and quantity asked for; None unless both are numbers (the product id above
    /// 0, and when adding, a quantity above 0).
    fn parsed(&self, add: bool) -> Option<(i32, Quantity)> {
        let product_id = self
            .product_id
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|id| *id > 0);
        let quantity = Quantity::parse(&self.quantity).filter(|q| !(add && q.is_zero()));
        Some((product_id?, quantity?))
    }
}

#[get("/keranjang")]
pub async fn view(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let token = cart_token(&req);
    let notice = shown_notice(&req);
    let layout = Page::load(&state, &req).await?;
    let (lines, photos) = state
        .db(move |c| {
            let lines = cart_lines(c, token)?;
            let ids: Vec<i32> = lines.iter().map(|l| l.product_id).collect();
            let photos = cart::cover_photos(c, &ids)?;
            Ok((lines, photos))
        })
        .await?;
    let frame = layout.frame();
    let title = lang.text("cart-title");
    let ctx = frame.context(&title, &title, "/keranjang", None, "website");
    let page = crate::views::shop::CartPage::new(&lines, &photos, notice, &state.media_urls);
    let pieces = lines.iter().map(|l| i64::from(l.quantity)).sum();
    with_count(
        state.render_view("pages/public/cart.html", ctx, &page)?,
        pieces,
    )
}

/// The message key of `?pesan=`: only messages the shop itself sends back (a cart change,
/// checkout); nothing else from the address is shown.
fn shown_notice(req: &HttpRequest) -> Option<&'static str> {
    req.query_string()
        .split('&')
        .find_map(|p| p.strip_prefix("pesan="))
        .and_then(CartNotice::parse)
        .map(CartNotice::key)
}

/// The lines of the cart `token` names; none without a token or without its cart.
fn cart_lines(c: &mut DbConnection, token: Option<CartToken>) -> Result<Vec<CartLine>, AppError> {
    let Some(t) = token else {
        return Ok(Vec::new());
    };
    Ok(match cart::cart_id(c, &t, false)? {
        Some(id) => cart::lines(c, id)?,
        None => Vec::new(),
    })
}

async fn change(
    state: &AppState,
    limiters: &ShopLimiters,
    req: &HttpRequest,
    form: &CartChange,
    add: bool,
) -> Result<HttpResponse, AppError> {
    let script = wants_json(req);
    if !limiters.cart.allows(req) {
        return Ok(too_many_requests());
    }
    let Some((product_id, quantity)) = form.parsed(add) else {
        return Ok(answer(script, req, CartNotice::BadQuantity, None, None));
    };
    let known = cart_token(req);
    let (token, fresh, outcome, pieces) = state
        .db(move |c| {
            let (id, token, fresh) = cart::open_or_create(c, known.as_ref())?;
            let outcome = cart::set_quantity(c, id, product_id, quantity, add)?;
            let pieces = cart::item_count(c, id)?;
            Ok((token, fresh, outcome, pieces))
        })
        .await?;
    let notice = notice_after(outcome, add);
    Ok(answer(
        script,
        req,
        notice,
        fresh.then_some(&token),
        Some(pieces),
    ))
}

/// Whether the change came from the product page's script (`js/add-to-cart.js`), which asks
/// for JSON so the buyer stays on the page; a plain form is redirected to the cart.
fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// What the script is told after a change: whether the product went in, the message in the
/// buyer's language, and the cart's pieces for the header badge (also in its cookie).
#[derive(serde::Serialize)]
struct ChangeAnswer {
    added: bool,
    message: String,
    pieces: Option<i64>,
    cart_url: String,
}

/// The answer to a cart change: a redirect to the cart with `notice`, or for the script the
/// same notice as JSON; both set the same cookies.
fn answer(
    script: bool,
    req: &HttpRequest,
    notice: CartNotice,
    new_token: Option<&CartToken>,
    pieces: Option<i64>,
) -> HttpResponse {
    if !script {
        return redirect(
            &super::same_language(req, &notice.cart_url()),
            new_token,
            pieces,
        );
    }
    let lang = Lang::of_request(req);
    let mut res = HttpResponse::Ok();
    res.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    cookies(&mut res, new_token, pieces);
    res.json(ChangeAnswer {
        added: notice == CartNotice::Added,
        message: lang.text(notice.key()),
        pieces,
        cart_url: super::same_language(req, "/keranjang"),
    })
}

/// What the cart page says after a change.
fn notice_after(outcome: Result<i32, CartRefusal>, add: bool) -> CartNotice {
    match outcome {
        Ok(_) if add => CartNotice::Added,
        Ok(_) => CartNotice::Updated,
        Err(CartRefusal::NotForSale) => CartNotice::NotForSale,
        Err(CartRefusal::OutOfStock) => CartNotice::SoldOut,
        Err(CartRefusal::Capped(_)) => CartNotice::Capped,
        Err(CartRefusal::AwaitingLegal) => CartNotice::AwaitingLegal,
    }
}

fn redirect(location: &str, new_token: Option<&CartToken>, pieces: Option<i64>) -> HttpResponse {
    let mut res = HttpResponse::SeeOther();
    res.insert_header(("Location", location));
    cookies(&mut res, new_token, pieces);
    res.finish()
}

/// The badge's count and, for a cart just made, the cart's cookie. The count goes before the
/// cart's own cookie (builder cookies are written last): a client that keeps only the last
/// cookie of an answer, as the wrk script of bench/soak.sh does, still keeps the cart.
fn cookies(
    res: &mut actix_web::HttpResponseBuilder,
    new_token: Option<&CartToken>,
    pieces: Option<i64>,
) {
    if let Some(pieces) = pieces {
        res.append_header((
            actix_web::http::header::SET_COOKIE,
            count_cookie(pieces).to_string(),
        ));
    }
    if let Some(token) = new_token {
        res.cookie(cart_cookie(token));
    }
}

#[post("/keranjang")]
pub async fn add_item(
    state: web::Data<AppState>,
    limiters: web::Data<ShopLimiters>,
    req: HttpRequest,
    form: web::Form<CartChange>,
) -> Result<HttpResponse, AppError> {
    change(&state, &limiters, &req, &form, true).await
}

#[post("/keranjang/ubah")]
pub async fn update_item(
    state: web::Data<AppState>,
    limiters: web::Data<ShopLimiters>,
    req: HttpRequest,
    form: web::Form<CartChange>,
) -> Result<HttpResponse, AppError> {
    change(&state, &limiters, &req, &form, false).await
}

/// 429 with a minute to wait; the error page says so in the visitor's language.
pub fn too_many_requests() -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header((actix_web::http::header::RETRY_AFTER, "60"))
        .content_type("text/plain; charset=utf-8")
        .body("too many requests")
}
