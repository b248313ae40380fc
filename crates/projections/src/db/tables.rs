//! The read-model tables as both engines see them: each table's columns (names and
//! kinds, the key first), and each row written as its column values and read back
//! from them, side by side so the two directions cannot drift apart. The engines'
//! modules only move values: SQLite in multi-row `VALUES`, PostgreSQL in `UNNEST`
//! arrays and `COPY`.

use chrono::NaiveDate;
use reform_domain::{AgencyId, BandSchemeId, DocumentId, IndicatorId, TaskId};

use super::cells::Cells;
use crate::model::{
    AgencyRecords, AgencyRow, BandSchemeRow, DocumentRow, IndicatorRow, JurisdictionRow, ParRow,
    ProgressModel, RowKey, TaskRow,
};
use crate::vocab::{encode, encode_opt, RowCode};
use crate::ProjectionError;

/// How a column is stored: `TEXT`, `BIGINT` or `DOUBLE PRECISION`, NULL or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Int,
    Real,
}

/// One column's value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
}

/// A row as its column values, in its table's column order.
pub(super) type Values = Vec<Value>;

/// A read-model table.
pub(super) struct Table {
    pub(super) name: &'static str,
    /// How many leading columns make the primary key.
    key: usize,
    pub(super) columns: &'static [(&'static str, Kind)],
    /// Puts a row read back into the model.
    load: fn(&mut ProgressModel, &mut Cells) -> Result<(), ProjectionError>,
}

impl Table {
    /// `a, b, c`: every column, in order.
    pub(super) fn column_list(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(name, _)| *name).collect();
        names.join(", ")
    }

    /// `SELECT a, b, c FROM t`.
    pub(super) fn select(&self) -> String {
        format!("SELECT {} FROM {}", self.column_list(), self.name)
    }

    /// `INSERT INTO t (a, b, c) `, to be followed by the rows.
    pub(super) fn insert_into(&self) -> String {
        format!("INSERT INTO {} ({}) ", self.name, self.column_list())
    }

    /// ` ON CONFLICT (key) DO UPDATE SET b = excluded.b, …`: an upsert.
    pub(super) fn on_conflict(&self) -> String {
        let (key, rest) = self.columns.split_at(self.key);
        let key: Vec<&str> = key.iter().map(|(name, _)| *name).collect();
        let set: Vec<String> = rest
            .iter()
            .map(|(name, _)| format!("{name} = excluded.{name}"))
            .collect();
        format!(
            " ON CONFLICT ({}) DO UPDATE SET {}",
            key.join(", "),
            set.join(", ")
        )
    }

    /// Reads a row's values back into `model`.
    pub(super) fn load(
        &self,
        model: &mut ProgressModel,
        values: Values,
    ) -> Result<(), ProjectionError> {
        (self.load)(model, &mut Cells::new(self.name, self.columns, values))
    }
}

/// Every table, in the order a batch writes them (tasks last: the bulk).
pub(super) const TABLES: [&Table; 8] = [
    &JURISDICTIONS,
    &BAND_SCHEMES,
    &INDICATORS,
    &AGENCY_RECORDS,
    &AGENCIES,
    &DOCUMENTS,
    &PAR_RESULTS,
    &TASKS,
];

/// Where [`TASKS`] stands in [`TABLES`].
pub(super) const TASKS_AT: usize = 7;

/// The rows `keys` name, as they are in `model`, by table (in [`TABLES`] order). A key
/// whose row is gone names nothing.
pub(super) fn changed<'k>(
    model: &ProgressModel,
    keys: impl IntoIterator<Item = &'k RowKey>,
) -> [Vec<Values>; 8] {
    let mut rows: [Vec<Values>; 8] = Default::default();
    for key in keys {
        let (at, values) = match key {
            RowKey::Jurisdiction(code) => (0, model.jurisdictions.get(code).map(jurisdiction)),
            RowKey::Bands(id) => (1, model.band_schemes.get(id).map(|r| band_scheme(id, r))),
            RowKey::Indicator(id) => (2, model.indicators.get(id).map(indicator)),
            RowKey::Records(id) => (3, model.records.get(id).map(|r| records(id, r))),
            RowKey::Agency(id) => (4, model.agencies.get(id).map(agency)),
            RowKey::Document(id) => (5, model.documents.get(id).map(document)),
            RowKey::Par(agency, year) => (6, model.par.get(&(*agency, *year)).map(par)),
            RowKey::Task(id) => (TASKS_AT, model.tasks.get(id).map(task)),
        };
        rows[at].extend(values);
    }
    rows
}

/// Every row of `model`, by table (in [`TABLES`] order).
pub(super) fn all(model: &ProgressModel) -> [Vec<Values>; 8] {
    [
        model.jurisdictions.values().map(jurisdiction).collect(),
        model
            .band_schemes
            .iter()
            .map(|(id, r)| band_scheme(id, r))
            .collect(),
        model.indicators.values().map(indicator).collect(),
        model.records.iter().map(|(id, r)| records(id, r)).collect(),
        model.agencies.values().map(agency).collect(),
        model.documents.values().map(document).collect(),
        model.par.values().map(par).collect(),
        model.tasks.values().map(task).collect(),
    ]
}

fn text(value: impl ToString) -> Value {
    Value::Text(Some(value.to_string()))
}

fn opt_text(value: Option<impl ToString>) -> Value {
    Value::Text(value.map(|v| v.to_string()))
}

fn code<T: RowCode>(value: T) -> Value {
    Value::Text(Some(encode(value)))
}

fn opt_code<T: RowCode>(value: Option<T>) -> Value {
    Value::Text(encode_opt(value))
}

fn date(value: Option<NaiveDate>) -> Value {
    Value::Text(value.map(|d| d.format("%Y-%m-%d").to_string()))
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    Value::Text(Some(
        serde_json::to_string(value).unwrap_or_else(|_| "[]".into()),
    ))
}

fn ids<T: std::fmt::Display>(ids: &[T]) -> Value {
    json(&ids.iter().map(ToString::to_string).collect::<Vec<_>>())
}

fn int(value: impl Into<i64>) -> Value {
    Value::Int(Some(value.into()))
}

const JURISDICTIONS: Table = Table {
    name: "rm_jurisdictions",
    key: 1,
    columns: &[
        ("code", Kind::Text),
        ("name", Kind::Text),
        ("level", Kind::Text),
        ("parent", Kind::Text),
        ("established_on", Kind::Text),
        ("successor", Kind::Text),
        ("merged_on", Kind::Text),
    ],
    load: |model, c| {
        let row = JurisdictionRow {
            code: c.text()?,
            name: c.text()?,
            level: c.code()?,
            parent: c.opt_text()?,
            established_on: c.opt_date()?.unwrap_or_default(),
            successor: c.opt_text()?,
            merged_on: c.opt_date()?,
        };
        model.jurisdictions.insert(row.code.clone(), row);
        Ok(())
    },
};

fn jurisdiction(r: &JurisdictionRow) -> Values {
    vec![
        text(&r.code),
        text(&r.name),
        code(r.level),
        opt_text(r.parent.as_ref()),
        date(Some(r.established_on)),
        opt_text(r.successor.as_ref()),
        date(r.merged_on),
    ]
}

const BAND_SCHEMES: Table = Table {
    name: "rm_band_schemes",
    key: 1,
    columns: &[
        ("scheme_id", Kind::Text),
        ("jurisdiction", Kind::Text),
        ("schemes", Kind::Text),
    ],
    load: |model, c| {
        let id = BandSchemeId(c.uuid()?);
        let row = BandSchemeRow {
            jurisdiction: c.text()?,
            schemes: c.json()?,
        };
        model.band_schemes.insert(id, row);
        Ok(())
    },
};

fn band_scheme(id: &BandSchemeId, r: &BandSchemeRow) -> Values {
    vec![text(id), text(&r.jurisdiction), json(&r.schemes)]
}

const INDICATORS: Table = Table {
    name: "rm_indicators",
    key: 1,
    columns: &[
        ("indicator_id", Kind::Text),
        ("code", Kind::Text),
        ("name", Kind::Text),
        ("unit", Kind::Text),
        ("direction", Kind::Text),
        ("baseline", Kind::Real),
        ("baseline_on", Kind::Text),
        ("jurisdiction", Kind::Text),
        ("targets", Kind::Text),
        ("measurements", Kind::Text),
    ],
    load: |model, c| {
        let row = IndicatorRow {
            indicator_id: IndicatorId(c.uuid()?),
            code: c.text()?,
            name: c.text()?,
            unit: c.text()?,
            direction: c.code()?,
            baseline: c.opt_real()?,
            baseline_on: c.opt_date()?,
            jurisdiction: c.text()?,
            targets: c.json()?,
            measurements: c.json()?,
        };
        model.indicators.insert(row.indicator_id, row);
        Ok(())
    },
};

fn indicator(r: &IndicatorRow) -> Values {
    vec![
        text(r.indicator_id),
        text(&r.code),
        text(&r.name),
        text(&r.unit),
        code(r.direction),
        Value::Real(r.baseline),
        date(r.baseline_on),
        text(&r.jurisdiction),
        json(&r.targets),
        json(&r.measurements),
    ]
}

const AGENCY_RECORDS: Table = Table {
    name: "rm_agency_records",
    key: 1,
    columns: &[
        ("agency_id", Kind::Text),
        ("heads", Kind::Text),
        ("sipas", Kind::Text),
        ("dossiers", Kind::Text),
    ],
    load: |model, c| {
        let agency = AgencyId(c.uuid()?);
        let records = AgencyRecords {
            heads: c.json()?,
            sipas: c.json()?,
            dossiers: c.json()?,
        };
        model.records.insert(agency, records);
        Ok(())
    },
};

fn records(agency: &AgencyId, r: &AgencyRecords) -> Values {
    vec![
        text(agency),
        json(&r.heads),
        json(&r.sipas),
        json(&r.dossiers),
    ]
}

const AGENCIES: Table = Table {
    name: "rm_agencies",
    key: 1,
    columns: &[
        ("agency_id", Kind::Text),
        ("name", Kind::Text),
        ("short_name", Kind::Text),
        ("tier", Kind::Text),
        ("block", Kind::Text),
        ("jurisdiction", Kind::Text),
        ("parent_id", Kind::Text),
        ("status", Kind::Text),
        ("successor_id", Kind::Text),
        ("ceased_on", Kind::Text),
    ],
    load: |model, c| {
        let row = AgencyRow {
            agency_id: AgencyId(c.uuid()?),
            name: c.text()?,
            short_name: c.opt_text()?,
            tier: c.code()?,
            block: c.opt_code()?,
            jurisdiction: c.text()?,
            parent_id: c.opt_uuid()?.map(AgencyId),
            status: c.code()?,
            successor_id: c.opt_uuid()?.map(AgencyId),
            ceased_on: c.opt_date()?,
        };
        model.agencies.insert(row.agency_id, row);
        Ok(())
    },
};

fn agency(r: &AgencyRow) -> Values {
    vec![
        text(r.agency_id),
        text(&r.name),
        opt_text(r.short_name.as_ref()),
        code(r.tier),
        opt_code(r.block),
        text(&r.jurisdiction),
        opt_text(r.parent_id),
        code(r.status),
        opt_text(r.successor_id),
        date(r.ceased_on),
    ]
}

const DOCUMENTS: Table = Table {
    name: "rm_documents",
    key: 1,
    columns: &[
        ("document_id", Kind::Text),
        ("kind", Kind::Text),
        ("number", Kind::Text),
        ("title", Kind::Text),
        ("jurisdiction", Kind::Text),
        ("parent_id", Kind::Text),
        ("issuing_agency_id", Kind::Text),
        ("from_year", Kind::Int),
        ("to_year", Kind::Int),
        ("rollup_rule", Kind::Text),
    ],
    load: |model, c| {
        let row = DocumentRow {
            document_id: DocumentId(c.uuid()?),
            kind: c.code()?,
            number: c.text()?,
            title: c.text()?,
            jurisdiction: c.text()?,
            parent_id: c.opt_uuid()?.map(DocumentId),
            issuing_agency_id: c.opt_uuid()?.map(AgencyId),
            from_year: c.opt_int()?.map(to_i32),
            to_year: c.opt_int()?.map(to_i32),
            rollup_rule: c.opt_code()?,
        };
        model.documents.insert(row.document_id, row);
        Ok(())
    },
};

fn document(r: &DocumentRow) -> Values {
    vec![
        text(r.document_id),
        code(r.kind),
        text(&r.number),
        text(&r.title),
        text(&r.jurisdiction),
        opt_text(r.parent_id),
        opt_text(r.issuing_agency_id),
        Value::Int(r.from_year.map(i64::from)),
        Value::Int(r.to_year.map(i64::from)),
        opt_code(r.rollup_rule),
    ]
}

const PAR_RESULTS: Table = Table {
    name: "rm_par_results",
    key: 2,
    columns: &[
        ("agency_id", Kind::Text),
        ("year", Kind::Int),
        ("block", Kind::Text),
        ("total", Kind::Real),
        ("not_evaluated_reason", Kind::Text),
        ("decision", Kind::Text),
        ("self_assessed_total", Kind::Real),
        ("bonus_points", Kind::Real),
        ("field_scores", Kind::Text),
    ],
    load: |model, c| {
        let row = ParRow {
            agency_id: AgencyId(c.uuid()?),
            year: to_i32(c.int()?),
            block: c.code()?,
            total: c.opt_real()?,
            not_evaluated_reason: c.opt_text()?,
            decision: c.opt_text()?,
            self_assessed_total: c.opt_real()?,
            bonus_points: c.opt_real()?,
            field_scores: c.json()?,
        };
        model.par.insert((row.agency_id, row.year), row);
        Ok(())
    },
};

fn par(r: &ParRow) -> Values {
    vec![
        text(r.agency_id),
        int(r.year),
        code(r.block),
        Value::Real(r.total),
        opt_text(r.not_evaluated_reason.as_ref()),
        opt_text(r.decision.as_ref()),
        Value::Real(r.self_assessed_total),
        Value::Real(r.bonus_points),
        json(&r.field_scores),
    ]
}

const TASKS: Table = Table {
    name: "rm_tasks",
    key: 1,
    columns: &[
        ("task_id", Kind::Text),
        ("plan_id", Kind::Text),
        ("parent_task_id", Kind::Text),
        ("category", Kind::Text),
        ("pillar", Kind::Text),
        ("title", Kind::Text),
        ("search", Kind::Text),
        ("lead_id", Kind::Text),
        ("coordinator_ids", Kind::Text),
        ("deadline", Kind::Text),
        ("status", Kind::Text),
        ("percent", Kind::Int),
        ("lead_percent", Kind::Int),
        ("weight", Kind::Int),
        ("last_reported_on", Kind::Text),
        ("completed_on", Kind::Text),
        ("timeliness", Kind::Text),
        ("days_late", Kind::Int),
        ("inherited_from", Kind::Text),
        ("history", Kind::Text),
    ],
    load: |model, c| {
        let row = TaskRow {
            task_id: TaskId(c.uuid()?),
            plan_id: DocumentId(c.uuid()?),
            parent_task_id: c.opt_uuid()?.map(TaskId),
            category: c.code()?,
            pillar: c.opt_code()?,
            title: c.text()?,
            search: c.text()?,
            lead_id: AgencyId(c.uuid()?),
            coordinator_ids: c.ids()?.into_iter().map(AgencyId).collect(),
            deadline: c.opt_date()?,
            status: c.code()?,
            percent: percent(c.int()?),
            lead_percent: percent(c.int()?),
            weight: u32::try_from(c.int()?).unwrap_or(1),
            last_reported_on: c.opt_date()?,
            completed_on: c.opt_date()?,
            timeliness: c.opt_code()?,
            days_late: c.opt_int()?.map(|d| u32::try_from(d).unwrap_or(0)),
            inherited_from: c.ids()?.into_iter().map(AgencyId).collect(),
            history: c.json()?,
        };
        model.tasks.insert(row.task_id, row);
        Ok(())
    },
};

fn task(r: &TaskRow) -> Values {
    vec![
        text(r.task_id),
        text(r.plan_id),
        opt_text(r.parent_task_id),
        code(r.category),
        opt_code(r.pillar),
        text(&r.title),
        text(&r.search),
        text(r.lead_id),
        ids(&r.coordinator_ids),
        date(r.deadline),
        code(r.status),
        int(r.percent),
        int(r.lead_percent),
        int(r.weight),
        date(r.last_reported_on),
        date(r.completed_on),
        opt_code(r.timeliness),
        Value::Int(r.days_late.map(i64::from)),
        ids(&r.inherited_from),
        json(&r.history),
    ]
}

fn to_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(0)
}

fn percent(v: i64) -> u8 {
    u8::try_from(v.clamp(0, 100)).unwrap_or(0)
}
