//! The one route table.

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::web;

use crate::handlers::{
    admin, health, metrics, organizer, oversight, public, review, staff, webhooks,
};

/// `media_dir`: the folder public media are kept in, served as files; None when they are in a
/// bucket, which `public::media::file` reads them from.
pub fn configure(
    cfg: &mut web::ServiceConfig,
    static_dir: &std::path::Path,
    media_dir: Option<&std::path::Path>,
) {
    cfg.service(health::health)
        .service(health::ready)
        .service(metrics::scrape)
        .service(public::catalog::home)
        .service(public::catalog::category)
        .service(public::catalog::product_page)
        .service(public::catalog::unit_page)
        .service(public::catalog::province_page)
        .service(public::language::switch)
        .service(public::cart::view)
        .service(public::cart::add_item)
        .service(public::cart::update_item)
        .service(public::checkout::contact_form)
        .service(public::checkout::save_contact)
        .service(public::checkout::shipping_form)
        .service(public::checkout::place)
        .service(public::checkout::review)
        .service(public::checkout::review_again)
        .service(public::lookup::lookup_form)
        .service(public::lookup::lookup_send)
        .service(public::checkout::order_page)
        .service(public::checkout::cancel)
        .service(public::checkout::received)
        .service(public::checkout::choose_payment)
        .service(webhooks::stripe::stripe_webhook)
        .service(webhooks::midtrans::midtrans_webhook)
        .service(public::search::suggest)
        .service(public::search::search)
        .service(public::search::click)
        .service(public::info::help)
        .service(public::info::privacy)
        .service(public::info::about)
        .service(public::impact::impact_page)
        .service(public::impact::open_data_csv)
        .service(public::impact::open_data_json)
        .service(public::site::robots)
        .service(public::site::favicon)
        .service(public::site::sitemap_index)
        .service(public::site::sitemap_pages)
        .service(public::site::sitemap_products)
        .service(staff::auth::login_form)
        .service(staff::auth::login)
        .service(staff::auth::logout)
        .service(staff::auth::forgot_form)
        .service(staff::auth::forgot)
        .service(staff::auth::reset_form)
        .service(staff::auth::reset)
        .service(staff::products::dashboard)
        .service(staff::products::new_form)
        .service(staff::products::create)
        .service(staff::products::edit_form)
        .service(staff::products::update)
        .service(staff::products::submit)
        .service(staff::products::archive)
        .service(staff::products::restore)
        .service(staff::products::upload_photo)
        .service(staff::products::photo_action)
        .service(staff::fairs::my_fairs)
        .service(organizer::fairs::decide)
        .service(organizer::fairs::list)
        .service(organizer::fairs::create)
        .service(organizer::fairs::detail)
        .service(organizer::fairs::change_status)
        .service(organizer::fairs::change_dates)
        .service(organizer::fairs::upload_booths)
        .service(staff::fairs::apply)
        .service(staff::booth_sales::till)
        .service(staff::booth_sales::record)
        .service(staff::booth_sales::open_charge)
        .service(staff::booth_sales::charge_status)
        .service(staff::booth_sales::charge_page)
        .service(staff::booth_sales::cancel_charge)
        .service(staff::booth_sales::report)
        .service(staff::booth_sales::report_csv)
        .service(public::fairs::list)
        .service(public::fairs::booth_sign)
        .service(public::fairs::detail)
        .service(staff::orders::shipments)
        .service(staff::orders::packing_slips)
        .service(staff::orders::shipping_labels)
        .service(staff::orders::ship)
        .service(staff::orders::mark_ready)
        .service(staff::orders::hand_over)
        .service(admin::payments::payments)
        .service(admin::payments::confirm)
        .service(admin::payments::refund)
        // Payment settings: the fixed paths before `{id}`.
        .service(admin::bank_accounts::list)
        .service(admin::bank_accounts::new_form)
        .service(admin::bank_accounts::create)
        .service(admin::bank_accounts::deactivate)
        .service(admin::bank_accounts::reactivate)
        .service(admin::bank_accounts::edit_form)
        .service(admin::bank_accounts::update)
        .service(staff::import::form)
        .service(staff::import::template)
        .service(staff::import::upload)
        .service(staff::documents::list)
        .service(staff::documents::add)
        .service(staff::documents::scan_file)
        .service(review::documents::decide)
        .service(staff::unit::edit)
        .service(staff::unit::save)
        .service(staff::unit::upload_image)
        .service(staff::unit::proposed_picture)
        .service(staff::unit::upload_qris)
        .service(staff::unit::remove_qris)
        .service(staff::unit::static_qris)
        .service(review::queue)
        .service(review::product_review)
        .service(review::decide)
        .service(review::units::profile_review)
        .service(review::units::decide)
        .service(admin::audit::audit_log)
        .service(admin::mail::failed)
        .service(admin::mail::retry)
        // The units registry: the fixed paths before `{id}`.
        .service(admin::units::list)
        .service(admin::units::new_form)
        .service(admin::units::import_form)
        .service(admin::units::import_template)
        .service(admin::units::import)
        .service(admin::units::create)
        .service(admin::units::deactivate)
        .service(admin::units::reactivate)
        .service(admin::units::edit_form)
        .service(admin::units::update)
        // Accounts: the fixed paths before `{id}`.
        .service(admin::accounts::list)
        .service(admin::accounts::invite_form)
        .service(admin::accounts::invite)
        .service(admin::accounts::resend)
        .service(admin::accounts::treasurer)
        .service(admin::accounts::deactivate)
        .service(admin::accounts::reactivate)
        .service(admin::accounts::detail)
        .service(admin::accounts::update)
        // Legal status rules.
        .service(admin::legal_rules::list)
        .service(admin::legal_rules::add)
        .service(admin::legal_rules::remove)
        // Search: synonyms and what shoppers searched.
        .service(admin::search_tuning::list)
        .service(admin::search_tuning::add)
        .service(admin::search_tuning::remove)
        .service(admin::search_tuning::insights)
        // Payouts: the treasurer's page, then the administrators' (fixed paths before `{id}`).
        .service(staff::payouts::ledger_page)
        .service(staff::payouts::record)
        .service(staff::payouts::close)
        .service(admin::payouts::summary)
        .service(admin::payouts::unit_ledger)
        .service(admin::payouts::close)
        .service(staff::credentials::invitation_form)
        .service(staff::credentials::invitation_accept)
        .service(staff::credentials::password_form)
        .service(staff::credentials::password_save)
        .service(oversight::dashboard)
        .service(oversight::export)
        .service(
            web::scope("/static")
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "public, max-age=86400")))
                .wrap(actix_web::middleware::from_fn(immutable_when_versioned))
                .service(actix_files::Files::new("", static_dir)),
        )
        .service({
            let media = web::scope("/media").wrap(
                DefaultHeaders::new()
                    .add((header::CACHE_CONTROL, crate::services::media::IMMUTABLE)),
            );
            match media_dir {
                Some(dir) => media.service(actix_files::Files::new("", dir)),
                None => media.service(public::media::file),
            }
        });
}

/// A static file asked for under its fingerprinted address (`?v=`, see `views::assets`) never
/// changes: browsers keep it for a year without asking again.
async fn immutable_when_versioned(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let versioned = req.query_string().split('&').any(|p| p.starts_with("v="));
    let mut res = next.call(req).await?;
    if versioned && res.status().is_success() {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    Ok(res)
}
