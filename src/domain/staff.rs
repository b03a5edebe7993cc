//! Back-office rules: roles, what each account may touch, and the product form.

use std::collections::BTreeMap;

use super::{ProductStatus, Rupiah};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Reviewer,
    Staff,
    Organizer,
    /// Oversight, read-only: the dashboard of `/kelola/pantau` and its exports, nothing else.
    /// National, or regional when the account has a province (as a Kanwil sees it).
    Observer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Reviewer,
        Self::Staff,
        Self::Organizer,
        Self::Observer,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "admin" => Some(Self::Admin),
            "reviewer" => Some(Self::Reviewer),
            "staff" => Some(Self::Staff),
            "organizer" => Some(Self::Organizer),
            "observer" => Some(Self::Observer),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Reviewer => "reviewer",
            Self::Staff => "staff",
            Self::Organizer => "organizer",
            Self::Observer => "observer",
        }
    }

    /// Whether the account is scoped to a province when it has one (reviewers and observers;
    /// national without one).
    pub fn takes_province(self) -> bool {
        matches!(self, Self::Reviewer | Self::Observer)
    }
}

/// The signed-in account and its scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: i32,
    pub name: String,
    pub role: Role,
    /// Staff: the one unit they work for.
    pub unit_id: Option<i32>,
    /// Reviewers and observers: their province (None = national).
    pub province_id: Option<i32>,
    /// Staff: may record their unit's payouts (the treasurer right).
    pub treasurer: bool,
}

impl Actor {
    /// May this account change the profile, products and documents of `unit_id`?
    pub fn can_manage_unit(&self, unit_id: i32) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Staff => self.unit_id == Some(unit_id),
            Role::Reviewer | Role::Organizer | Role::Observer => false,
        }
    }

    /// May this account review listings of a unit in `province_id`?
    pub fn can_review_in(&self, province_id: i32) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Reviewer => self.province_id.is_none_or(|p| p == province_id),
            Role::Staff | Role::Organizer | Role::Observer => false,
        }
    }

    pub fn is_reviewer(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Reviewer)
    }

    /// An observer: it reads the oversight dashboard and changes nothing but its own password.
    pub fn is_observer(&self) -> bool {
        self.role == Role::Observer
    }

    /// May this account open the oversight dashboard (`/kelola/pantau`)? Observers and
    /// administrators.
    pub fn can_oversee(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Observer)
    }

    /// The province the oversight dashboard is fixed to for this account: a regional
    /// observer's own; None for a national observer and an administrator (every province).
    pub fn oversight_province(&self) -> Option<i32> {
        match self.role {
            Role::Observer => self.province_id,
            _ => None,
        }
    }
    /// The unit whose payouts this account records: a treasurer's own unit, else None.
    pub fn treasury_unit(&self) -> Option<i32> {
        match self.role {
            Role::Staff if self.treasurer => self.unit_id,
            _ => None,
        }
    }

    /// May this account close a month of `unit_id`'s payouts (its treasurer, or an
    /// administrator)?
    pub fn can_close_payouts_of(&self, unit_id: i32) -> bool {
        self.role == Role::Admin || self.treasury_unit() == Some(unit_id)
    }
}

/// Field → message key of what is wrong with it.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

/// A product form as typed, kept as text so a form with errors shows what the user typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ProductForm {
    #[serde(default)]
    pub name: String,
    /// The Indonesian description (required).
    #[serde(default)]
    pub description: String,
    /// The English description (optional).
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub category_id: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub stock: String,
    #[serde(default)]
    pub weight_g: String,
    #[serde(default)]
    pub length_cm: String,
    #[serde(default)]
    pub width_cm: String,
    #[serde(default)]
    pub height_cm: String,
}

/// A product form that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDraft {
    pub name: String,
    /// In Indonesian.
    pub description: String,
    /// In English; empty when there is none.
    pub description_en: String,
    pub category_id: i32,
    pub price: i64,
    pub stock: i32,
    pub weight_g: i32,
    pub length_cm: i32,
    pub width_cm: i32,
    pub height_cm: i32,
}

/// The longest description, in characters, in either language.
pub const DESCRIPTION_MAX: usize = 5000;

/// A whole number typed with or without thousands dots (`15.000`), within `min..=max`.
pub fn whole_number(raw: &str, min: i64, max: i64) -> Option<i64> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != '.').collect();
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    cleaned
        .parse::<i64>()
        .ok()
        .filter(|v| (min..=max).contains(v))
}

impl ProductForm {
    pub fn validate(&self, category_ids: &[i32]) -> Result<ProductDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if !(3..=120).contains(&name.chars().count()) {
            errors.insert("name", "form-error-name");
        }
        let description = self.description.trim();
        if !(10..=DESCRIPTION_MAX).contains(&description.chars().count()) {
            errors.insert("description", "form-error-description");
        }
        let description_en = self.description_en.trim();
        if description_en.chars().count() > DESCRIPTION_MAX {
            errors.insert("description_en", "form-error-description-en");
        }
        let category_id = self
            .category_id
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|id| category_ids.contains(id));
        if category_id.is_none() {
            errors.insert("category_id", "form-error-category");
        }
        let price = whole_number(self.price.trim().trim_start_matches("Rp"), 1, 1_000_000_000)
            .and_then(|p| Rupiah::new(p).ok());
        if price.is_none() {
            errors.insert("price", "form-error-price");
        }
        let stock = whole_number(&self.stock, 0, 1_000_000);
        if stock.is_none() {
            errors.insert("stock", "form-error-stock");
        }
        let weight = whole_number(&self.weight_g, 1, 500_000);
        if weight.is_none() {
            errors.insert("weight_g", "form-error-weight");
        }
        let dims: Vec<Option<i64>> = [&self.length_cm, &self.width_cm, &self.height_cm]
            .iter()
            .map(|d| {
                if d.trim().is_empty() {
                    Some(0)
                } else {
                    whole_number(d, 0, 300)
                }
            })
            .collect();
        if dims.iter().any(Option::is_none) {
            errors.insert("size", "form-error-size");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ProductDraft {
            name: name.to_string(),
            description: description.to_string(),
            description_en: description_en.to_string(),
            category_id: category_id.unwrap_or_default(),
            price: price.map(|p| p.amount()).unwrap_or_default(),
            stock: stock.unwrap_or_default() as i32,
            weight_g: weight.unwrap_or_default() as i32,
            length_cm: dims[0].unwrap_or_default() as i32,
            width_cm: dims[1].unwrap_or_default() as i32,
            height_cm: dims[2].unwrap_or_default() as i32,
        })
    }
}

/// The status a product takes when it is saved: a published product whose text changes goes
/// back to review; price and stock changes alone do not.
pub fn status_after_edit(current: ProductStatus, text_changed: bool) -> ProductStatus {
    match current {
        ProductStatus::Published if text_changed => ProductStatus::Submitted,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: Option<i32>, province: Option<i32>) -> Actor {
        Actor {
            id: 1,
            name: "x".into(),
            role,
            unit_id: unit,
            province_id: province,
            treasurer: false,
        }
    }

    #[test]
    fn only_a_units_treasurer_and_administrators_settle_its_payouts() {
        let treasurer = Actor {
            treasurer: true,
            ..actor(Role::Staff, Some(3), None)
        };
        assert_eq!(treasurer.treasury_unit(), Some(3));
        assert!(treasurer.can_close_payouts_of(3) && !treasurer.can_close_payouts_of(4));
        let staff = actor(Role::Staff, Some(3), None);
        assert_eq!(staff.treasury_unit(), None);
        assert!(!staff.can_close_payouts_of(3));
        let admin = actor(Role::Admin, None, None);
        assert!(admin.can_close_payouts_of(4) && admin.treasury_unit().is_none());
        // The right means nothing outside a unit's staff.
        let reviewer = Actor {
            treasurer: true,
            ..actor(Role::Reviewer, None, None)
        };
        assert!(reviewer.treasury_unit().is_none() && !reviewer.can_close_payouts_of(3));
    }

    #[test]
    fn staff_manage_only_their_unit_and_reviewers_only_their_province() {
        let staff = actor(Role::Staff, Some(3), None);
        assert!(staff.can_manage_unit(3));
        assert!(!staff.can_manage_unit(4));
        assert!(!staff.can_review_in(1));
        let reviewer = actor(Role::Reviewer, None, Some(7));
        assert!(reviewer.can_review_in(7));
        assert!(!reviewer.can_review_in(8));
        assert!(!reviewer.can_manage_unit(3));
        let national = actor(Role::Reviewer, None, None);
        assert!(national.can_review_in(8));
        let organizer = actor(Role::Organizer, None, None);
        assert!(!organizer.can_manage_unit(3) && !organizer.can_review_in(7));
    }

    #[test]
    fn observers_oversee_read_only_and_a_regional_one_is_fixed_to_its_province() {
        let regional = actor(Role::Observer, None, Some(7));
        assert!(regional.is_observer() && regional.can_oversee());
        assert_eq!(regional.oversight_province(), Some(7));
        assert!(!regional.can_manage_unit(3) && !regional.can_review_in(7));
        assert!(!regional.is_reviewer());
        let national = actor(Role::Observer, None, None);
        assert!(national.can_oversee());
        assert_eq!(national.oversight_province(), None);
        let admin = actor(Role::Admin, None, Some(7));
        assert!(admin.can_oversee() && !admin.is_observer());
        assert_eq!(
            admin.oversight_province(),
            None,
            "administrators see every province"
        );
        for role in [Role::Reviewer, Role::Staff, Role::Organizer] {
            assert!(!actor(role, Some(3), Some(7)).can_oversee(), "{role:?}");
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert!(Role::Observer.takes_province() && Role::Reviewer.takes_province());
        assert!(!Role::Staff.takes_province() && !Role::Admin.takes_province());
    }

    #[test]
    fn a_product_form_reports_every_bad_field_and_accepts_a_good_one() {
        let bad = ProductForm {
            name: "x".into(),
            price: "dua ribu".into(),
            stock: "-3".into(),
            weight_g: "0".into(),
            length_cm: "abc".into(),
            ..ProductForm::default()
        };
        let errors = bad.validate(&[1]).unwrap_err();
        for field in [
            "name",
            "description",
            "category_id",
            "price",
            "stock",
            "weight_g",
            "size",
        ] {
            assert!(errors.contains_key(field), "{field}");
        }
        let good = ProductForm {
            name: "Kopi Gayo".into(),
            description: "Kopi arabika sangrai medium.".into(),
            category_id: "1".into(),
            price: "65.000".into(),
            stock: "12".into(),
            weight_g: "250".into(),
            ..ProductForm::default()
        };
        let draft = good.validate(&[1]).unwrap();
        assert_eq!(draft.price, 65_000);
        assert_eq!(draft.stock, 12);
        assert_eq!(draft.description_en, "");
    }

    #[test]
    fn the_english_description_is_optional_and_as_long_as_the_indonesian_one_at_most() {
        let form = |en: String| ProductForm {
            name: "Kopi Gayo".into(),
            description: "Kopi arabika sangrai medium.".into(),
            description_en: en,
            category_id: "1".into(),
            price: "65.000".into(),
            stock: "12".into(),
            weight_g: "250".into(),
            ..ProductForm::default()
        };
        let draft = form("  Medium roast arabica coffee.  ".into())
            .validate(&[1])
            .unwrap();
        assert_eq!(draft.description_en, "Medium roast arabica coffee.");
        assert!(form("a".repeat(DESCRIPTION_MAX)).validate(&[1]).is_ok());
        let errors = form("a".repeat(DESCRIPTION_MAX + 1))
            .validate(&[1])
            .unwrap_err();
        assert_eq!(
            errors.get("description_en"),
            Some(&"form-error-description-en")
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn text_edits_send_a_published_product_back_to_review() {
        assert_eq!(
            status_after_edit(ProductStatus::Published, true),
            ProductStatus::Submitted
        );
        assert_eq!(
            status_after_edit(ProductStatus::Published, false),
            ProductStatus::Published
        );
        assert_eq!(
            status_after_edit(ProductStatus::Draft, true),
            ProductStatus::Draft
        );
    }
}
