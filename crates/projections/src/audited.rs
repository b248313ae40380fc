//! Which fields of each read-model row the audit log shows, under which names and in
//! which form. The names are part of the API (history and audit log `changes`), so
//! they are written out here rather than taken from the Rust fields: renaming a field
//! in code must not rename it for the API's readers.

use serde::Serialize;
use serde_json::Value;

use crate::model::{
    AgencyRecords, AgencyRow, BandSchemeRow, DocumentRow, IndicatorRow, JurisdictionRow, ParRow,
    TaskRow,
};
use crate::vocab::RowCode;

/// A row whose fields the audit log compares before and after an event.
pub trait AuditedRow {
    /// Every audited field as `(name the API shows, value)`: codes for vocabularies,
    /// `YYYY-MM-DD` for dates, identifiers as strings, null for what is absent.
    fn audited_fields(&self) -> Vec<(&'static str, Value)>;
}

/// A plain value as JSON (numbers, strings, dates, identifiers, lists of them).
fn json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A vocabulary value as its code.
fn code<C: RowCode>(value: C) -> Value {
    Value::from(value.code())
}

/// An optional vocabulary value as its code, or null.
fn opt_code<C: RowCode>(value: Option<C>) -> Value {
    value.map_or(Value::Null, code)
}

impl AuditedRow for AgencyRow {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("agency_id", json(&self.agency_id)),
            ("name", json(&self.name)),
            ("short_name", json(&self.short_name)),
            ("tier", code(self.tier)),
            ("block", opt_code(self.block)),
            ("jurisdiction", json(&self.jurisdiction)),
            ("parent_id", json(&self.parent_id)),
            ("status", code(self.status)),
            ("successor_id", json(&self.successor_id)),
            ("ceased_on", json(&self.ceased_on)),
        ]
    }
}

impl AuditedRow for DocumentRow {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("document_id", json(&self.document_id)),
            ("kind", code(self.kind)),
            ("number", json(&self.number)),
            ("title", json(&self.title)),
            ("jurisdiction", json(&self.jurisdiction)),
            ("parent_id", json(&self.parent_id)),
            ("issuing_agency_id", json(&self.issuing_agency_id)),
            ("from_year", json(&self.from_year)),
            ("to_year", json(&self.to_year)),
            ("rollup_rule", opt_code(self.rollup_rule)),
        ]
    }
}

impl AuditedRow for TaskRow {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("task_id", json(&self.task_id)),
            ("plan_id", json(&self.plan_id)),
            ("parent_task_id", json(&self.parent_task_id)),
            ("category", code(self.category)),
            ("pillar", opt_code(self.pillar)),
            ("title", json(&self.title)),
            ("search", json(&self.search)),
            ("lead_id", json(&self.lead_id)),
            ("coordinator_ids", json(&self.coordinator_ids)),
            ("deadline", json(&self.deadline)),
            ("status", code(self.status)),
            ("percent", json(&self.percent)),
            ("lead_percent", json(&self.lead_percent)),
            ("weight", json(&self.weight)),
            ("last_reported_on", json(&self.last_reported_on)),
            ("completed_on", json(&self.completed_on)),
            ("timeliness", opt_code(self.timeliness)),
            ("days_late", json(&self.days_late)),
            ("inherited_from", json(&self.inherited_from)),
        ]
    }
}

impl AuditedRow for ParRow {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("agency_id", json(&self.agency_id)),
            ("year", json(&self.year)),
            ("block", code(self.block)),
            ("total", json(&self.total)),
            ("not_evaluated_reason", json(&self.not_evaluated_reason)),
            ("decision", json(&self.decision)),
            ("self_assessed_total", json(&self.self_assessed_total)),
            ("bonus_points", json(&self.bonus_points)),
            ("field_scores", json(&self.field_scores)),
        ]
    }
}

impl AuditedRow for AgencyRecords {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("heads", json(&self.heads)),
            ("sipas", json(&self.sipas)),
            ("dossiers", json(&self.dossiers)),
        ]
    }
}

impl AuditedRow for IndicatorRow {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("indicator_id", json(&self.indicator_id)),
            ("code", json(&self.code)),
            ("name", json(&self.name)),
            ("unit", json(&self.unit)),
            ("direction", code(self.direction)),
            ("baseline", json(&self.baseline)),
            ("baseline_on", json(&self.baseline_on)),
            ("jurisdiction", json(&self.jurisdiction)),
            ("targets", json(&self.targets)),
            ("measurements", json(&self.measurements)),
        ]
    }
}

impl AuditedRow for JurisdictionRow {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("code", json(&self.code)),
            ("name", json(&self.name)),
            ("level", code(self.level)),
            ("parent", json(&self.parent)),
            ("established_on", json(&self.established_on)),
            ("successor", json(&self.successor)),
            ("merged_on", json(&self.merged_on)),
        ]
    }
}

impl AuditedRow for BandSchemeRow {
    fn audited_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("jurisdiction", json(&self.jurisdiction)),
            ("schemes", json(&self.schemes)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use reform_domain::{AgencyId, DocumentId, Pillar, TaskCategory, TaskId, Timeliness};

    use super::*;
    use crate::model::TaskRowStatus;

    /// The names and forms the API has always shown for a task.
    #[test]
    fn a_task_is_audited_under_its_api_names_with_codes_and_dates() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap_or_default();
        let task = TaskRow {
            task_id: TaskId::generate(),
            plan_id: DocumentId::generate(),
            parent_task_id: None,
            category: TaskCategory::Pillar(Pillar::CivilService),
            pillar: Some(Pillar::CivilService),
            title: "A".into(),
            search: "a".into(),
            lead_id: AgencyId::generate(),
            coordinator_ids: Vec::new(),
            deadline: Some(day),
            status: TaskRowStatus::Completed,
            percent: 100,
            lead_percent: 40,
            weight: 1,
            last_reported_on: None,
            completed_on: Some(day),
            timeliness: Some(Timeliness::OnTime),
            days_late: Some(0),
            inherited_from: Vec::new(),
            history: Default::default(),
        };
        let fields: serde_json::Map<String, Value> = task
            .audited_fields()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            vec![
                "category",
                "completed_on",
                "coordinator_ids",
                "days_late",
                "deadline",
                "inherited_from",
                "last_reported_on",
                "lead_id",
                "lead_percent",
                "parent_task_id",
                "percent",
                "pillar",
                "plan_id",
                "search",
                "status",
                "task_id",
                "timeliness",
                "title",
                "weight",
            ]
        );
        assert_eq!(fields["status"], "COMPLETED");
        assert_eq!(fields["category"], "CIVIL_SERVICE");
        assert_eq!(fields["timeliness"], "ON_TIME");
        assert_eq!(fields["deadline"], "2025-03-31");
        assert_eq!(fields["lead_id"], task.lead_id.to_string());
        assert_eq!(fields["percent"], 100);
        assert_eq!(fields["last_reported_on"], Value::Null);
    }
}
