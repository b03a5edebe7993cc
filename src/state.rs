//! Shared application state.

use std::sync::Arc;

use actix_web::HttpResponse;

use crate::config::Settings;
use crate::db::{DbConnection, Pool};
use crate::error::AppError;
use crate::services::cache::{Caches, PageKey};
use crate::services::media::{MediaStore, MediaUrls};

#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
    pub templates: Arc<tera::Tera>,
    /// Public media: photos, approved logos and banners (a folder, or `media/` of a bucket).
    pub media: MediaStore,
    /// Where browsers fetch public media: `/media/…`, or the bucket's public address.
    pub media_urls: MediaUrls,
    pub settings: Arc<Settings>,
    /// The public address without a trailing slash, for canonical links and shares.
    pub base_url: Arc<str>,
    /// Listing totals and the category list, remembered for a few seconds.
    pub caches: Caches,
    /// The search engine (embedded or Meilisearch).
    pub search: crate::search::Engine,
    /// What search queries are understood to say (`search-config/understanding.json`).
    pub vocabulary: Arc<crate::domain::query::Vocabulary>,
    /// Outgoing email (files in `DATA_DIR/mail-outbox` until SMTP is configured).
    pub mailer: crate::services::mail::Mailer,
    /// The mail templates (`templates/emails/`), rendered when a mail is queued.
    pub mail: crate::services::mail::MailTemplates,
    /// Private files: document scans, proposed logos and banners, QRIS images (a folder, or
    /// `private/` of a bucket); never served as public media.
    pub documents: MediaStore,
    /// Bank transfer, and Stripe and Midtrans when configured.
    pub payments: crate::services::payments::Payments,
    /// Public catalogue pages as rendered HTML, for a few seconds.
    pub pages: crate::services::cache::PageCache,
    /// The process's Prometheus recorder, rendered by `GET /metrics`.
    pub metrics: crate::services::metrics::Metrics,
}

impl AppState {
    /// What the use cases in `workflows` work with.
    pub fn shop(&self) -> crate::workflows::Shop<'_> {
        crate::workflows::Shop {
            db: &self.db,
            payments: &self.payments,
            mail: &self.mail,
            settings: &self.settings,
            base_url: &self.base_url,
            search: &self.search,
            vocabulary: &self.vocabulary,
            caches: &self.caches,
            media: &self.media,
            documents: &self.documents,
        }
    }

    /// Runs blocking database work on the blocking thread pool. When the work changes the
    /// public catalogue, cached pages are dropped as soon as it returns.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        crate::db::blocking(&self.db, f).await
    }

    /// Runs read-only database work for a page (`db::read`: on SQLite right on the worker).
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        crate::db::read(&self.db, self.settings.database_url.is_sqlite(), f).await
    }

    /// Renders a form page; 422 when it comes back with errors, so the status tells too.
    pub fn render_form(
        &self,
        template: &str,
        ctx: &tera::Context,
        has_errors: bool,
    ) -> Result<HttpResponse, AppError> {
        let mut res = self.render(template, ctx)?;
        if has_errors {
            *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
        }
        Ok(res)
    }

    /// Where a public catalogue page is cached (None when the page cache is off). Take it
    /// before reading the page's data. The key names the language: `/en/produk/x` (answered as
    /// `/produk/x`, in English) and `/produk/x` for a reader with the English cookie share the
    /// English page, which is the same for both (its links, canonical and alternates follow the
    /// language, not the address asked for); the Indonesian page is kept apart.
    pub fn page_key(
        &self,
        lang: crate::i18n::Lang,
        req: &actix_web::HttpRequest,
    ) -> Option<PageKey> {
        self.pages.key(lang.code(), &req.uri().to_string())
    }

    /// The cached page for `key`, if it is still current.
    pub fn cached_page(&self, key: Option<&PageKey>) -> Option<HttpResponse> {
        let body = self.pages.get(key?)?;
        Some(
            HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header(("X-Cache", "hit"))
                .body(body),
        )
    }

    /// Renders a public catalogue page and keeps it under `key`.
    pub fn render_page(
        &self,
        key: Option<PageKey>,
        template: &str,
        ctx: &tera::Context,
    ) -> Result<HttpResponse, AppError> {
        let mut html = self.templates.render(template, ctx)?;
        if key.is_some() {
            // Rendering grows the string by doubling; a cached page keeps only what it uses.
            html.shrink_to_fit();
        }
        let body = actix_web::web::Bytes::from(html);
        if let Some(key) = key {
            self.pages.put(key, body.clone());
        }
        Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(body))
    }

    /// Every category, for the navigation: from the cache while it is fresh (every page needs
    /// them, so this is almost always a lookup), else from the database.
    pub async fn categories(&self) -> Result<Arc<Vec<crate::models::catalog::Category>>, AppError> {
        if let Some(categories) = self.caches.categories.get("all") {
            return Ok(categories);
        }
        let caches = self.caches.clone();
        self.read(move |c| Ok(caches.category_list(c)?)).await
    }

    /// Renders a page: the layout context `ctx` and the page's view-model `view`.
    pub fn render_view<V: serde::Serialize>(
        &self,
        template: &str,
        ctx: tera::Context,
        view: &V,
    ) -> Result<HttpResponse, AppError> {
        self.render_view_form(template, ctx, view, false)
    }

    /// `render_view` for a form page; 422 when it comes back with errors.
    pub fn render_view_form<V: serde::Serialize>(
        &self,
        template: &str,
        mut ctx: tera::Context,
        view: &V,
        has_errors: bool,
    ) -> Result<HttpResponse, AppError> {
        ctx.extend(tera::Context::from_serialize(view)?);
        self.render_form(template, &ctx, has_errors)
    }

    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<HttpResponse, AppError> {
        let body = self.templates.render(template, ctx)?;
        Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(body))
    }
}
