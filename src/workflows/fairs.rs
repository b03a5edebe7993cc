//! Fairs: units apply for a booth; organizers upload booth plans, correct an event's dates and
//! decide on the applications.

use crate::domain::fair::{
    self, ApplicationDecision, ApplicationForm, DatesForm, DecisionForm, DecisionRefusal,
};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::models::fair as model;

use super::Shop;

/// How a unit's booth application went.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyOutcome {
    /// Filed, waiting for the organizers.
    Applied,
    /// Nothing was filed; what is wrong, by field.
    Invalid(FieldErrors),
    /// Applications for the event are not open (or there is no such event).
    Closed,
    /// The unit has applied for this event already.
    AlreadyApplied,
}

/// Checks the application and files it while the event takes applications.
pub async fn apply_for_booth(
    shop: Shop<'_>,
    event_id: i32,
    unit_id: i32,
    actor_id: i32,
    form: &ApplicationForm,
) -> Result<ApplyOutcome, AppError> {
    let draft = match form.validate() {
        Ok(draft) => draft,
        Err(errors) => return Ok(ApplyOutcome::Invalid(errors)),
    };
    let application: model::Application = draft;
    let today = crate::models::today_iso();
    let filed = shop
        .write(move |c| {
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
    Ok(match filed {
        Ok(_) => ApplyOutcome::Applied,
        Err(model::ApplyProblem::Closed) => ApplyOutcome::Closed,
        Err(model::ApplyProblem::AlreadyApplied) => ApplyOutcome::AlreadyApplied,
    })
}

/// How uploading a booth plan went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanOutcome {
    /// The plan replaced the event's booths.
    Saved,
    /// Nothing was changed; the problems by line (0: the file as a whole) and message key.
    Refused(Vec<(u64, &'static str)>),
}

/// Reads a booth plan (CSV) and replaces the event's booths with it, all or nothing. A missing
/// event is `AppError::NotFound` once the plan reads well.
pub async fn save_booth_plan(
    shop: Shop<'_>,
    event_id: i32,
    actor_id: i32,
    csv: &[u8],
) -> Result<PlanOutcome, AppError> {
    let rows = match fair::parse_booths(csv) {
        Ok(rows) => rows,
        Err(problems) => return Ok(PlanOutcome::Refused(problems)),
    };
    let saved = shop
        .write(move |c| {
            if model::event_by_id(c, event_id)?.is_none() {
                return Ok(None);
            }
            Ok(Some(model::replace_booths(c, event_id, &rows, actor_id)?))
        })
        .await?;
    match saved.ok_or(AppError::NotFound)? {
        model::BoothPlanSaved::Saved => Ok(PlanOutcome::Saved),
        model::BoothPlanSaved::InUse(codes) => {
            tracing::info!(?codes, event = event_id, "booth plan kept: booths in use");
            Ok(PlanOutcome::Refused(vec![(0, "fairs-booths-in-use")]))
        }
    }
}

/// How correcting an event's dates went.
#[derive(Debug, Clone, PartialEq)]
pub enum DatesOutcome {
    Saved,
    /// The fair has gone live (or there is no such event): the dates stay as they are.
    Locked,
    /// Nothing was changed; what is wrong, by field.
    Invalid(FieldErrors),
}

/// Checks the dates and corrects the event's, until the fair goes live.
pub async fn correct_dates(
    shop: Shop<'_>,
    event_id: i32,
    actor_id: i32,
    form: &DatesForm,
) -> Result<DatesOutcome, AppError> {
    let dates = match form.validate() {
        Ok(dates) => dates,
        Err(errors) => return Ok(DatesOutcome::Invalid(errors)),
    };
    let changed = shop
        .write(move |c| Ok(model::change_event_dates(c, event_id, &dates, actor_id)?))
        .await?;
    Ok(if changed {
        DatesOutcome::Saved
    } else {
        DatesOutcome::Locked
    })
}

/// How an organizer's decision on an application went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionOutcome {
    /// Recorded, and the unit's staff are told by mail.
    Decided,
    /// Nothing was recorded; the key of the message saying why.
    Refused(&'static str),
}

/// Records the decision on an application and mails the unit's staff. An unknown decision is
/// `AppError::BadRequest`, an unknown application `AppError::NotFound`.
pub async fn decide_application(
    shop: Shop<'_>,
    application_id: i32,
    actor_id: i32,
    form: &DecisionForm,
) -> Result<DecisionOutcome, AppError> {
    let decision = match form.validate() {
        Ok(ApplicationDecision::Approve { booth_id }) => model::Decision::Approve { booth_id },
        Ok(ApplicationDecision::Waitlist) => model::Decision::Waitlist,
        Ok(ApplicationDecision::Reject { reason }) => model::Decision::Reject { reason },
        Err(DecisionRefusal::Missing(key)) => return Ok(DecisionOutcome::Refused(key)),
        Err(DecisionRefusal::Unknown) => return Err(AppError::BadRequest("decision".into())),
    };
    let mail = shop.mail.clone();
    let decided = shop
        .write(move |c| {
            Ok(model::decide(
                c,
                application_id,
                &decision,
                actor_id,
                &mail,
            )?)
        })
        .await?;
    match decided {
        Ok(()) => Ok(DecisionOutcome::Decided),
        Err(model::DecisionProblem::BoothTaken) => {
            Ok(DecisionOutcome::Refused("fairs-booth-taken"))
        }
        Err(model::DecisionProblem::WrongBooth) => {
            Ok(DecisionOutcome::Refused("fairs-choose-booth"))
        }
        Err(model::DecisionProblem::NotFound) => Err(AppError::NotFound),
    }
}
