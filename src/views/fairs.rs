//! View-models of the public fair pages (`templates/pages/public/fairs.html`, `fair.html`,
//! `booth.html`): the floor plan is drawn as an accessible SVG, one per hall.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::format_rupiah;
use crate::error::AppError;
use crate::models::fair::{Booth, Event, EventProduct};

/// Pixels per metre on the plan.
const SCALE: i32 = 24;

/// `fairs.html`.
#[derive(Debug, Serialize)]
pub struct FairsPage<'a> {
    pub events: &'a [Event],
}

/// A showcased product of an exhibitor.
#[derive(Debug, Clone, Serialize)]
pub struct ShownProduct {
    pub name: String,
    pub slug: String,
}

/// The unit showing at a booth.
#[derive(Debug, Clone, Serialize)]
pub struct Exhibitor {
    pub name: String,
    pub slug: String,
    pub products: Vec<ShownProduct>,
}

/// A booth drawn on the plan.
#[derive(Debug, Serialize)]
pub struct BoothShape<'a> {
    pub code: &'a str,
    pub kind: &'a str,
    pub fee: String,
    pub taken: bool,
    pub exhibitor: Option<&'a Exhibitor>,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub size: String,
    pub cx: i32,
    pub cy: i32,
}

#[derive(Debug, Serialize)]
pub struct Hall<'a> {
    pub name: &'a str,
    pub width: i32,
    pub height: i32,
    pub booths: Vec<BoothShape<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FoundProduct<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub price: String,
    pub unit: &'a str,
    pub booth: &'a str,
}

/// `fair.html`: the event, its plan and a search of its exhibitors' products.
#[derive(Debug, Serialize)]
pub struct FairPage<'a> {
    pub event: &'a Event,
    pub halls: Vec<Hall<'a>>,
    pub q: &'a str,
    pub found: Vec<FoundProduct<'a>>,
}

impl<'a> FairPage<'a> {
    pub fn new(
        event: &'a Event,
        booths: &'a [Booth],
        exhibitors: &'a HashMap<String, Exhibitor>,
        q: &'a str,
        found: &'a [EventProduct],
    ) -> Self {
        let mut hall_names: Vec<&str> = booths.iter().map(|b| b.hall.as_str()).collect();
        hall_names.dedup();
        let halls = hall_names
            .into_iter()
            .map(|hall| {
                let in_hall: Vec<&Booth> = booths.iter().filter(|b| b.hall == hall).collect();
                let width = in_hall.iter().map(|b| b.x + b.width_m).max().unwrap_or(1) * SCALE + 2;
                let height = in_hall.iter().map(|b| b.y + b.depth_m).max().unwrap_or(1) * SCALE + 2;
                Hall {
                    name: hall,
                    width,
                    height,
                    booths: in_hall
                        .into_iter()
                        .map(|b| BoothShape {
                            code: &b.code,
                            kind: &b.kind,
                            fee: format_rupiah(b.fee),
                            taken: exhibitors.contains_key(&b.code),
                            exhibitor: exhibitors.get(&b.code),
                            x: b.x * SCALE + 1,
                            y: b.y * SCALE + 1,
                            w: b.width_m * SCALE,
                            h: b.depth_m * SCALE,
                            size: format!("{} × {} m", b.width_m, b.depth_m),
                            cx: b.x * SCALE + 1 + b.width_m * SCALE / 2,
                            cy: b.y * SCALE + 1 + b.depth_m * SCALE / 2,
                        })
                        .collect(),
                }
            })
            .collect();
        Self {
            event,
            halls,
            q,
            found: found
                .iter()
                .map(|p| FoundProduct {
                    name: &p.name,
                    slug: &p.slug,
                    price: format_rupiah(p.price),
                    unit: &p.unit_name,
                    booth: &p.booth_code,
                })
                .collect(),
        }
    }
}

/// `booth.html`: the printable sign of a booth.
#[derive(Debug, Serialize)]
pub struct BoothSignPage<'a> {
    pub event: &'a Event,
    pub booth: &'a Booth,
    pub exhibitor: Option<&'a Exhibitor>,
    pub qr_svg: String,
    pub url: String,
}

impl<'a> BoothSignPage<'a> {
    /// The sign of `booth` at `event`, with a QR code of its page's address under `base_url`.
    pub fn new(
        event: &'a Event,
        booth: &'a Booth,
        exhibitor: Option<&'a Exhibitor>,
        base_url: &str,
    ) -> Result<Self, AppError> {
        let url = format!("{}{}", base_url, booth_path(event, booth));
        let qr_svg = qrcode::QrCode::new(url.as_bytes())
            .map_err(AppError::internal)?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build();
        Ok(Self {
            event,
            booth,
            exhibitor,
            qr_svg,
            url,
        })
    }
}

/// Where a booth's own page is: `/pameran/{event slug}/stan/{booth code}`.
pub fn booth_path(event: &Event, booth: &Booth) -> String {
    format!("/pameran/{}/stan/{}", event.slug, booth.code)
}
