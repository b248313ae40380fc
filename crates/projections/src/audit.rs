//! What each event changed, field by field: the entity's read-model row before and
//! after the event, compared. An audit trail in the terms a reader of the tracker
//! knows (deadline, status, lead, percent), not in the events' own vocabulary.

use std::collections::HashMap;

use reform_store::RecordedEvent;
use serde_json::Value;

pub use crate::audited::AuditedRow;
use crate::model::{ProgressModel, RowKey};
use crate::{decode_event, ProjectionError};

/// One field an event changed.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    /// The field (`deadline`, `status`, `lead_id`…).
    pub field: String,
    /// Its value before (null when the entity was created).
    pub old: Value,
    /// Its value after (null when removed).
    pub new: Value,
}

/// How an event changed its entity, in the words of GitHub's audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// The entity came into being.
    Create,
    /// Something about it changed.
    Modify,
    /// It was cancelled, dissolved or withdrawn.
    Remove,
    /// It was reopened.
    Restore,
    /// It passed to another agency.
    Transfer,
}

impl Operation {
    /// The operation an event type stands for.
    pub fn of(event_type: &str) -> Operation {
        const CREATE: [&str; 6] = [
            "Registered",
            "Issued",
            "Created",
            "Defined",
            "Published",
            "Reported",
        ];
        if event_type.ends_with("Reassigned")
            || event_type.ends_with("Transferred")
            || event_type.ends_with("Merged")
        {
            Operation::Transfer
        } else if event_type.ends_with("Cancelled") || event_type.ends_with("Dissolved") {
            Operation::Remove
        } else if event_type.ends_with("Reopened") {
            Operation::Restore
        } else if CREATE.iter().any(|s| event_type.ends_with(s)) && !event_type.contains("Progress")
        {
            Operation::Create
        } else {
            Operation::Modify
        }
    }
}

/// A row's audited fields as one JSON object (null when the row is absent).
fn fields_json<T: AuditedRow>(row: Option<&T>) -> Value {
    row.map_or(Value::Null, |r| {
        Value::Object(
            r.audited_fields()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        )
    })
}

fn row_json(model: &ProgressModel, key: RowKey) -> Value {
    match key {
        RowKey::Jurisdiction(code) => fields_json(model.jurisdictions.get(&code)),
        RowKey::Agency(id) => fields_json(model.agencies.get(&id)),
        RowKey::Document(id) => fields_json(model.documents.get(&id)),
        RowKey::Task(id) => fields_json(model.tasks.get(&id)),
        RowKey::Par(agency, year) => fields_json(model.par.get(&(agency, year))),
        RowKey::Records(agency) => fields_json(model.records.get(&agency)),
        RowKey::Indicator(id) => fields_json(model.indicators.get(&id)),
        RowKey::Bands(id) => fields_json(model.band_schemes.get(&id)),
    }
}

fn diff(before: &Value, after: &Value) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let (old, new) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    let mut fields: Vec<&String> = old.keys().chain(new.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|field| {
            let (o, n) = (
                old.get(field).unwrap_or(&Value::Null),
                new.get(field).unwrap_or(&Value::Null),
            );
            (o != n).then(|| FieldChange {
                field: field.clone(),
                old: o.clone(),
                new: n.clone(),
            })
        })
        .collect()
}

/// The fields that differ between two versions of a row (either may be absent).
pub fn diff_rows<T: AuditedRow>(before: Option<&T>, after: Option<&T>) -> Vec<FieldChange> {
    diff(&fields_json(before), &fields_json(after))
}

/// The changes of every event of `streams` (each stream's events in order, streams
/// in any order), by position. Each stream is folded on its own, so an event whose
/// effect depends on other entities shows its payload's fields as new values instead.
pub fn changes(
    events: &[RecordedEvent],
) -> Result<HashMap<u64, Vec<FieldChange>>, ProjectionError> {
    let mut models: HashMap<&str, ProgressModel> = HashMap::new();
    let mut out = HashMap::with_capacity(events.len());
    for recorded in events {
        let model = models.entry(recorded.stream_id.as_str()).or_default();
        let event = decode_event(recorded.position, recorded.decode())?;
        let before = model.clone();
        let found = model
            .apply(&event, recorded.metadata.occurred_at)
            .map(|key| diff(&row_json(&before, key.clone()), &row_json(model, key)))
            .filter(|d| !d.is_empty());
        let fields = match found {
            Some(fields) => fields,
            None => {
                let payload: Value = serde_json::from_str(&recorded.payload).unwrap_or(Value::Null);
                diff(&Value::Null, &payload)
            }
        };
        out.insert(recorded.position, fields);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_map_to_operations() {
        assert_eq!(Operation::of("TaskCreated"), Operation::Create);
        assert_eq!(Operation::of("AgencyRegistered"), Operation::Create);
        assert_eq!(Operation::of("TaskProgressReported"), Operation::Modify);
        assert_eq!(Operation::of("TaskDeadlineExtended"), Operation::Modify);
        assert_eq!(Operation::of("TaskCancelled"), Operation::Remove);
        assert_eq!(Operation::of("TaskReopened"), Operation::Restore);
        assert_eq!(Operation::of("TaskTransferred"), Operation::Transfer);
        assert_eq!(Operation::of("TaskReassigned"), Operation::Transfer);
    }

    #[test]
    fn a_diff_lists_only_what_changed() {
        let before = serde_json::json!({ "status": "IN_PROGRESS", "percent": 40, "title": "A" });
        let after = serde_json::json!({ "status": "COMPLETED", "percent": 100, "title": "A" });
        let changed = diff(&before, &after);
        assert_eq!(
            changed.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(),
            vec!["percent", "status"]
        );
        assert_eq!(changed[1].old, "IN_PROGRESS");
        assert_eq!(changed[1].new, "COMPLETED");
    }
}
