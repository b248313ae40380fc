//! The read-model tables on SQLite or PostgreSQL. The SQL is written once (numbered
//! `$n` parameters and `ON CONFLICT` work on both); macros expand it for each engine's
//! sqlx types.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveDate;
use reform_domain::{AgencyId, BandSchemeId, DocumentId, IndicatorId, TaskId};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Row;
use uuid::Uuid;

use crate::model::{
    AgencyRecords, AgencyRow, BandSchemeRow, DocumentRow, IndicatorRow, JurisdictionRow, ParRow,
    ProgressModel, RowKey, TaskRow,
};
use crate::vocab::{decode, decode_opt, encode, encode_opt};
use crate::ProjectionError;

/// The name the progress read-model's checkpoint is kept under.
pub const PROGRESS: &str = "progress";

/// A connection pool to the database holding the read-models (the event store's).
#[derive(Clone, Debug)]
pub enum ReadDb {
    /// SQLite.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

const UPSERT_AGENCY_INTO: &str =
    "INSERT INTO rm_agencies (agency_id, name, short_name, tier, block, \
     jurisdiction, parent_id, status, successor_id, ceased_on) ";
const UPSERT_AGENCY_CONFLICT: &str = " ON CONFLICT (agency_id) DO UPDATE SET name = excluded.name, \
     short_name = excluded.short_name, tier = excluded.tier, block = excluded.block, \
     jurisdiction = excluded.jurisdiction, parent_id = excluded.parent_id, status = excluded.status, \
     successor_id = excluded.successor_id, ceased_on = excluded.ceased_on";

const UPSERT_DOCUMENT_INTO: &str =
    "INSERT INTO rm_documents (document_id, kind, number, title, jurisdiction, \
     parent_id, issuing_agency_id, from_year, to_year, rollup_rule) ";
const UPSERT_DOCUMENT_CONFLICT: &str =
    " ON CONFLICT (document_id) DO UPDATE SET kind = excluded.kind, \
     number = excluded.number, title = excluded.title, jurisdiction = excluded.jurisdiction, \
     parent_id = excluded.parent_id, issuing_agency_id = excluded.issuing_agency_id, \
     from_year = excluded.from_year, to_year = excluded.to_year, rollup_rule = excluded.rollup_rule";

const UPSERT_TASK_INTO: &str = "INSERT INTO rm_tasks (task_id, plan_id, parent_task_id, category, pillar, title, \
     search, lead_id, coordinator_ids, deadline, status, percent, lead_percent, weight, last_reported_on, \
     completed_on, timeliness, days_late, inherited_from, history) ";
const UPSERT_TASK_CONFLICT: &str = " ON CONFLICT (task_id) DO UPDATE SET plan_id = excluded.plan_id, \
     parent_task_id = excluded.parent_task_id, category = excluded.category, pillar = excluded.pillar, \
     title = excluded.title, search = excluded.search, lead_id = excluded.lead_id, \
     coordinator_ids = excluded.coordinator_ids, deadline = excluded.deadline, status = excluded.status, \
     percent = excluded.percent, lead_percent = excluded.lead_percent, weight = excluded.weight, \
     last_reported_on = excluded.last_reported_on, completed_on = excluded.completed_on, \
     timeliness = excluded.timeliness, days_late = excluded.days_late, inherited_from = excluded.inherited_from, \
     history = excluded.history";

const UPSERT_PAR_INTO: &str =
    "INSERT INTO rm_par_results (agency_id, year, block, total, not_evaluated_reason, decision, \
     self_assessed_total, bonus_points, field_scores) ";
const UPSERT_PAR_CONFLICT: &str = " ON CONFLICT (agency_id, year) DO UPDATE SET block = excluded.block, \
     total = excluded.total, not_evaluated_reason = excluded.not_evaluated_reason, decision = excluded.decision, \
     self_assessed_total = excluded.self_assessed_total, bonus_points = excluded.bonus_points, \
     field_scores = excluded.field_scores";

const UPSERT_RECORDS_INTO: &str =
    "INSERT INTO rm_agency_records (agency_id, heads, sipas, dossiers) ";
const UPSERT_RECORDS_CONFLICT: &str =
    " ON CONFLICT (agency_id) DO UPDATE SET heads = excluded.heads, \
     sipas = excluded.sipas, dossiers = excluded.dossiers";

const UPSERT_INDICATOR_INTO: &str =
    "INSERT INTO rm_indicators (indicator_id, code, name, unit, direction, \
     baseline, baseline_on, jurisdiction, targets, measurements) ";
const UPSERT_INDICATOR_CONFLICT: &str = " ON CONFLICT (indicator_id) DO UPDATE SET code = excluded.code, \
     name = excluded.name, unit = excluded.unit, direction = excluded.direction, baseline = excluded.baseline, \
     baseline_on = excluded.baseline_on, jurisdiction = excluded.jurisdiction, targets = excluded.targets, \
     measurements = excluded.measurements";

const UPSERT_JURISDICTION_INTO: &str = "INSERT INTO rm_jurisdictions (code, name, level, \
     parent, established_on, successor, merged_on) ";
const UPSERT_JURISDICTION_CONFLICT: &str = " ON CONFLICT (code) DO UPDATE SET \
     name = excluded.name, level = excluded.level, parent = excluded.parent, \
     established_on = excluded.established_on, successor = excluded.successor, \
     merged_on = excluded.merged_on";

const UPSERT_BANDS_INTO: &str = "INSERT INTO rm_band_schemes (scheme_id, jurisdiction, schemes) ";
const UPSERT_BANDS_CONFLICT: &str = " ON CONFLICT (scheme_id) DO UPDATE SET \
     jurisdiction = excluded.jurisdiction, schemes = excluded.schemes";

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn ids_json<T: std::fmt::Display>(ids: &[T]) -> String {
    serde_json::to_string(&ids.iter().map(ToString::to_string).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

/// Rows per multi-row INSERT (well under both engines' bind-parameter limits).
const CHUNK: usize = 500;

/// Writes the rows `keys` name (as they are in `model`) in the open transaction `$tx`
/// of engine `$engine` (`Sqlite` or `Postgres`): one multi-row upsert per table and chunk.
macro_rules! write_rows {
    ($tx:expr, $engine:ident, $model:expr, $keys:expr) => {{
        let (mut agencies, mut documents, mut tasks, mut par) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut records, mut indicators, mut bands) = (Vec::new(), Vec::new(), Vec::new());
        let mut jurisdictions = Vec::new();
        for key in $keys {
            match key {
                RowKey::Jurisdiction(code) => jurisdictions.extend($model.jurisdictions.get(code)),
                RowKey::Agency(id) => agencies.extend($model.agencies.get(id)),
                RowKey::Document(id) => documents.extend($model.documents.get(id)),
                RowKey::Task(id) => tasks.extend($model.tasks.get(id)),
                RowKey::Par(agency, year) => par.extend($model.par.get(&(*agency, *year))),
                RowKey::Records(agency) => {
                    records.extend($model.records.get(agency).map(|r| (*agency, r)))
                }
                RowKey::Indicator(id) => indicators.extend($model.indicators.get(id)),
                RowKey::Bands(id) => bands.extend($model.band_schemes.get(id).map(|r| (*id, r))),
            }
        }
        for chunk in jurisdictions.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_JURISDICTION_INTO);
            q.push_values(chunk, |mut b, r: &&JurisdictionRow| {
                b.push_bind(r.code.clone())
                    .push_bind(r.name.clone())
                    .push_bind(encode(r.level))
                    .push_bind(r.parent.clone())
                    .push_bind(date_text(Some(r.established_on)))
                    .push_bind(r.successor.clone())
                    .push_bind(date_text(r.merged_on));
            });
            q.push(UPSERT_JURISDICTION_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
        for chunk in bands.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_BANDS_INTO);
            q.push_values(chunk, |mut b, (id, r): &(BandSchemeId, &BandSchemeRow)| {
                b.push_bind(id.to_string())
                    .push_bind(r.jurisdiction.clone())
                    .push_bind(json(&r.schemes));
            });
            q.push(UPSERT_BANDS_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
        for chunk in indicators.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_INDICATOR_INTO);
            q.push_values(chunk, |mut b, r: &&IndicatorRow| {
                b.push_bind(r.indicator_id.to_string())
                    .push_bind(r.code.clone())
                    .push_bind(r.name.clone())
                    .push_bind(r.unit.clone())
                    .push_bind(encode(r.direction))
                    .push_bind(r.baseline)
                    .push_bind(date_text(r.baseline_on))
                    .push_bind(r.jurisdiction.clone())
                    .push_bind(json(&r.targets))
                    .push_bind(json(&r.measurements));
            });
            q.push(UPSERT_INDICATOR_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
        for chunk in records.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_RECORDS_INTO);
            q.push_values(chunk, |mut b, (agency, r): &(AgencyId, &AgencyRecords)| {
                b.push_bind(agency.to_string())
                    .push_bind(json(&r.heads))
                    .push_bind(json(&r.sipas))
                    .push_bind(json(&r.dossiers));
            });
            q.push(UPSERT_RECORDS_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
        for chunk in agencies.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_AGENCY_INTO);
            q.push_values(chunk, |mut b, r: &&AgencyRow| {
                b.push_bind(r.agency_id.to_string())
                    .push_bind(r.name.clone())
                    .push_bind(r.short_name.clone())
                    .push_bind(encode(r.tier))
                    .push_bind(encode_opt(r.block))
                    .push_bind(r.jurisdiction.clone())
                    .push_bind(r.parent_id.map(|a| a.to_string()))
                    .push_bind(encode(r.status))
                    .push_bind(r.successor_id.map(|a| a.to_string()))
                    .push_bind(date_text(r.ceased_on));
            });
            q.push(UPSERT_AGENCY_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
        for chunk in documents.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_DOCUMENT_INTO);
            q.push_values(chunk, |mut b, r: &&DocumentRow| {
                b.push_bind(r.document_id.to_string())
                    .push_bind(encode(r.kind))
                    .push_bind(r.number.clone())
                    .push_bind(r.title.clone())
                    .push_bind(r.jurisdiction.clone())
                    .push_bind(r.parent_id.map(|d| d.to_string()))
                    .push_bind(r.issuing_agency_id.map(|a| a.to_string()))
                    .push_bind(r.from_year.map(i64::from))
                    .push_bind(r.to_year.map(i64::from))
                    .push_bind(encode_opt(r.rollup_rule));
            });
            q.push(UPSERT_DOCUMENT_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
        for chunk in par.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_PAR_INTO);
            q.push_values(chunk, |mut b, r: &&ParRow| {
                b.push_bind(r.agency_id.to_string())
                    .push_bind(i64::from(r.year))
                    .push_bind(encode(r.block))
                    .push_bind(r.total)
                    .push_bind(r.not_evaluated_reason.clone())
                    .push_bind(r.decision.clone())
                    .push_bind(r.self_assessed_total)
                    .push_bind(r.bonus_points)
                    .push_bind(json(&r.field_scores));
            });
            q.push(UPSERT_PAR_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
        write_tasks!($tx, $engine, tasks);
    }};
}

/// Task rows, the bulk of the read-model: multi-row upserts by default; on PostgreSQL
/// one `UNNEST` statement for all of them (one parse, however many rows).
macro_rules! write_tasks {
    ($tx:expr, Postgres, $tasks:expr) => {{
        let tasks: Vec<&TaskRow> = $tasks;
        if !tasks.is_empty() {
            let text = |f: fn(&TaskRow) -> Option<String>| tasks.iter().map(|r| f(r)).collect::<Vec<_>>();
            let int = |f: fn(&TaskRow) -> Option<i64>| tasks.iter().map(|r| f(r)).collect::<Vec<_>>();
            let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(UPSERT_TASK_INTO);
            q.push(
                "SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                 $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[], \
                 $14::bigint[], $15::text[], $16::text[], $17::text[], $18::bigint[], $19::text[], $20::text[])",
            );
            q.push(UPSERT_TASK_CONFLICT);
            q.build()
                .bind(text(|r| Some(r.task_id.to_string())))
                .bind(text(|r| Some(r.plan_id.to_string())))
                .bind(text(|r| r.parent_task_id.map(|t| t.to_string())))
                .bind(text(|r| Some(encode(r.category))))
                .bind(text(|r| encode_opt(r.pillar)))
                .bind(text(|r| Some(r.title.clone())))
                .bind(text(|r| Some(r.search.clone())))
                .bind(text(|r| Some(r.lead_id.to_string())))
                .bind(text(|r| Some(ids_json(&r.coordinator_ids))))
                .bind(text(|r| date_text(r.deadline)))
                .bind(text(|r| Some(encode(r.status))))
                .bind(int(|r| Some(i64::from(r.percent))))
                .bind(int(|r| Some(i64::from(r.lead_percent))))
                .bind(int(|r| Some(i64::from(r.weight))))
                .bind(text(|r| date_text(r.last_reported_on)))
                .bind(text(|r| date_text(r.completed_on)))
                .bind(text(|r| encode_opt(r.timeliness)))
                .bind(int(|r| r.days_late.map(i64::from)))
                .bind(text(|r| Some(ids_json(&r.inherited_from))))
                .bind(text(|r| Some(json(&r.history))))
                .execute(&mut *$tx)
                .await?;
        }
    }};
    ($tx:expr, $engine:ident, $tasks:expr) => {{
        let tasks: Vec<&TaskRow> = $tasks;
        for chunk in tasks.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<sqlx::$engine>::new(UPSERT_TASK_INTO);
            q.push_values(chunk, |mut b, r: &&TaskRow| {
                b.push_bind(r.task_id.to_string())
                    .push_bind(r.plan_id.to_string())
                    .push_bind(r.parent_task_id.map(|t| t.to_string()))
                    .push_bind(encode(r.category))
                    .push_bind(encode_opt(r.pillar))
                    .push_bind(r.title.clone())
                    .push_bind(r.search.clone())
                    .push_bind(r.lead_id.to_string())
                    .push_bind(ids_json(&r.coordinator_ids))
                    .push_bind(date_text(r.deadline))
                    .push_bind(encode(r.status))
                    .push_bind(i64::from(r.percent))
                    .push_bind(i64::from(r.lead_percent))
                    .push_bind(i64::from(r.weight))
                    .push_bind(date_text(r.last_reported_on))
                    .push_bind(date_text(r.completed_on))
                    .push_bind(encode_opt(r.timeliness))
                    .push_bind(r.days_late.map(i64::from))
                    .push_bind(ids_json(&r.inherited_from))
                    .push_bind(json(&r.history));
            });
            q.push(UPSERT_TASK_CONFLICT);
            q.build().execute(&mut *$tx).await?;
        }
    }};
}

/// Moves the checkpoint from `$from` to `$to` in `$tx`; fails if someone else moved it.
macro_rules! move_checkpoint {
    ($tx:expr, $name:expr, $from:expr, $to:expr) => {{
        sqlx::query("INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING")
            .bind($name)
            .execute(&mut *$tx)
            .await?;
        let moved = sqlx::query("UPDATE projection_checkpoints SET position = $1 WHERE name = $2 AND position = $3")
            .bind(to_i64($to))
            .bind($name)
            .bind(to_i64($from))
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        if moved != 1 {
            return Err(ProjectionError::CheckpointMoved { name: $name.to_owned(), expected: $from });
        }
    }};
}

/// Reads every row into a model.
macro_rules! load_rows {
    ($pool:expr) => {{
        let mut model = ProgressModel::default();
        for r in sqlx::query("SELECT * FROM rm_jurisdictions")
            .fetch_all($pool)
            .await?
        {
            let established_on: String = r.try_get("established_on")?;
            let row = JurisdictionRow {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                level: decode("rm_jurisdictions", "level", r.try_get("level")?)?,
                parent: r.try_get("parent")?,
                established_on: opt_date(Some(established_on))?.unwrap_or_default(),
                successor: r.try_get("successor")?,
                merged_on: opt_date(r.try_get("merged_on")?)?,
            };
            model.jurisdictions.insert(row.code.clone(), row);
        }
        for r in sqlx::query("SELECT * FROM rm_agencies")
            .fetch_all($pool)
            .await?
        {
            let row = AgencyRow {
                agency_id: AgencyId(uuid_of(r.try_get("agency_id")?)?),
                name: r.try_get("name")?,
                short_name: r.try_get("short_name")?,
                tier: decode("rm_agencies", "tier", r.try_get("tier")?)?,
                block: decode_opt("rm_agencies", "block", r.try_get("block")?)?,
                jurisdiction: r.try_get("jurisdiction")?,
                parent_id: opt_uuid(r.try_get("parent_id")?)?.map(AgencyId),
                status: decode("rm_agencies", "status", r.try_get("status")?)?,
                successor_id: opt_uuid(r.try_get("successor_id")?)?.map(AgencyId),
                ceased_on: opt_date(r.try_get("ceased_on")?)?,
            };
            model.agencies.insert(row.agency_id, row);
        }
        for r in sqlx::query("SELECT * FROM rm_documents")
            .fetch_all($pool)
            .await?
        {
            let row = DocumentRow {
                document_id: DocumentId(uuid_of(r.try_get("document_id")?)?),
                kind: decode("rm_documents", "kind", r.try_get("kind")?)?,
                number: r.try_get("number")?,
                title: r.try_get("title")?,
                jurisdiction: r.try_get("jurisdiction")?,
                parent_id: opt_uuid(r.try_get("parent_id")?)?.map(DocumentId),
                issuing_agency_id: opt_uuid(r.try_get("issuing_agency_id")?)?.map(AgencyId),
                from_year: r.try_get::<Option<i64>, _>("from_year")?.map(to_i32),
                to_year: r.try_get::<Option<i64>, _>("to_year")?.map(to_i32),
                rollup_rule: decode_opt("rm_documents", "rollup_rule", r.try_get("rollup_rule")?)?,
            };
            model.documents.insert(row.document_id, row);
        }
        for r in sqlx::query("SELECT * FROM rm_tasks")
            .fetch_all($pool)
            .await?
        {
            let row = TaskRow {
                task_id: TaskId(uuid_of(r.try_get("task_id")?)?),
                plan_id: DocumentId(uuid_of(r.try_get("plan_id")?)?),
                parent_task_id: opt_uuid(r.try_get("parent_task_id")?)?.map(TaskId),
                category: decode("rm_tasks", "category", r.try_get("category")?)?,
                pillar: decode_opt("rm_tasks", "pillar", r.try_get("pillar")?)?,
                title: r.try_get("title")?,
                search: r.try_get("search")?,
                lead_id: AgencyId(uuid_of(r.try_get("lead_id")?)?),
                coordinator_ids: ids_of(r.try_get("coordinator_ids")?)?
                    .into_iter()
                    .map(AgencyId)
                    .collect(),
                deadline: opt_date(r.try_get("deadline")?)?,
                status: decode("rm_tasks", "status", r.try_get("status")?)?,
                percent: small(r.try_get("percent")?),
                lead_percent: small(r.try_get("lead_percent")?),
                weight: u32::try_from(r.try_get::<i64, _>("weight")?).unwrap_or(1),
                last_reported_on: opt_date(r.try_get("last_reported_on")?)?,
                completed_on: opt_date(r.try_get("completed_on")?)?,
                timeliness: decode_opt("rm_tasks", "timeliness", r.try_get("timeliness")?)?,
                days_late: r
                    .try_get::<Option<i64>, _>("days_late")?
                    .map(|d| u32::try_from(d).unwrap_or(0)),
                inherited_from: ids_of(r.try_get("inherited_from")?)?
                    .into_iter()
                    .map(AgencyId)
                    .collect(),
                history: from_json(r.try_get("history")?)?,
            };
            model.tasks.insert(row.task_id, row);
        }
        model.index_subtasks();
        for r in sqlx::query("SELECT * FROM rm_band_schemes")
            .fetch_all($pool)
            .await?
        {
            let id = BandSchemeId(uuid_of(r.try_get("scheme_id")?)?);
            let row = BandSchemeRow {
                jurisdiction: r.try_get("jurisdiction")?,
                schemes: from_json(r.try_get("schemes")?)?,
            };
            model.band_schemes.insert(id, row);
        }
        for r in sqlx::query("SELECT * FROM rm_indicators")
            .fetch_all($pool)
            .await?
        {
            let row = IndicatorRow {
                indicator_id: IndicatorId(uuid_of(r.try_get("indicator_id")?)?),
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                unit: r.try_get("unit")?,
                direction: decode("rm_indicators", "direction", r.try_get("direction")?)?,
                baseline: r.try_get("baseline")?,
                baseline_on: opt_date(r.try_get("baseline_on")?)?,
                jurisdiction: r.try_get("jurisdiction")?,
                targets: from_json(r.try_get("targets")?)?,
                measurements: from_json(r.try_get("measurements")?)?,
            };
            model.indicators.insert(row.indicator_id, row);
        }
        for r in sqlx::query("SELECT * FROM rm_agency_records")
            .fetch_all($pool)
            .await?
        {
            let agency = AgencyId(uuid_of(r.try_get("agency_id")?)?);
            let records = AgencyRecords {
                heads: from_json(r.try_get("heads")?)?,
                sipas: from_json(r.try_get("sipas")?)?,
                dossiers: from_json(r.try_get("dossiers")?)?,
            };
            model.records.insert(agency, records);
        }
        for r in sqlx::query("SELECT * FROM rm_par_results")
            .fetch_all($pool)
            .await?
        {
            let row = ParRow {
                agency_id: AgencyId(uuid_of(r.try_get("agency_id")?)?),
                year: to_i32(r.try_get("year")?),
                block: decode("rm_par_results", "block", r.try_get("block")?)?,
                total: r.try_get("total")?,
                not_evaluated_reason: r.try_get("not_evaluated_reason")?,
                decision: r.try_get("decision")?,
                self_assessed_total: r.try_get("self_assessed_total")?,
                bonus_points: r.try_get("bonus_points")?,
                field_scores: from_json(r.try_get("field_scores")?)?,
            };
            model.par.insert((row.agency_id, row.year), row);
        }
        model
    }};
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn to_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(0)
}

fn small(v: i64) -> u8 {
    u8::try_from(v.clamp(0, 100)).unwrap_or(0)
}

fn corrupt(what: &str, value: &str) -> ProjectionError {
    ProjectionError::Corrupt(format!(
        "{what} {value:?} in a read-model table does not parse"
    ))
}

fn uuid_of(value: String) -> Result<Uuid, ProjectionError> {
    Uuid::from_str(&value).map_err(|_| corrupt("identifier", &value))
}

fn opt_uuid(value: Option<String>) -> Result<Option<Uuid>, ProjectionError> {
    value.map(uuid_of).transpose()
}

fn opt_date(value: Option<String>) -> Result<Option<NaiveDate>, ProjectionError> {
    value
        .map(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| corrupt("date", &v)))
        .transpose()
}

fn from_json<T: serde::de::DeserializeOwned>(value: String) -> Result<T, ProjectionError> {
    serde_json::from_str(&value).map_err(|_| corrupt("JSON list", &value))
}

fn ids_of(value: String) -> Result<Vec<Uuid>, ProjectionError> {
    let ids: Vec<String> =
        serde_json::from_str(&value).map_err(|_| corrupt("identifier list", &value))?;
    ids.into_iter().map(uuid_of).collect()
}

/// One CSV field: `None` is an unquoted empty field (NULL); text is quoted.
fn csv_field(out: &mut String, value: Option<&str>) {
    if let Some(v) = value {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    }
}

/// Loads task rows into the (empty) `rm_tasks` table with `COPY … FROM STDIN`.
async fn copy_tasks<'a>(
    connection: &mut sqlx::PgConnection,
    tasks: impl Iterator<Item = &'a TaskRow>,
) -> Result<(), ProjectionError> {
    const FLUSH_AT: usize = 1 << 20;
    let mut copy = connection
        .copy_in_raw(
            "COPY rm_tasks (task_id, plan_id, parent_task_id, category, pillar, title, search, lead_id, \
             coordinator_ids, deadline, status, percent, lead_percent, weight, last_reported_on, completed_on, \
             timeliness, days_late, inherited_from, history) FROM STDIN (FORMAT csv)",
        )
        .await?;
    let mut buffer = String::with_capacity(FLUSH_AT + 4096);
    for r in tasks {
        let fields: [Option<String>; 20] = [
            Some(r.task_id.to_string()),
            Some(r.plan_id.to_string()),
            r.parent_task_id.map(|t| t.to_string()),
            Some(encode(r.category)),
            encode_opt(r.pillar),
            Some(r.title.clone()),
            Some(r.search.clone()),
            Some(r.lead_id.to_string()),
            Some(ids_json(&r.coordinator_ids)),
            date_text(r.deadline),
            Some(encode(r.status)),
            Some(r.percent.to_string()),
            Some(r.lead_percent.to_string()),
            Some(r.weight.to_string()),
            date_text(r.last_reported_on),
            date_text(r.completed_on),
            encode_opt(r.timeliness),
            r.days_late.map(|d| d.to_string()),
            Some(ids_json(&r.inherited_from)),
            Some(json(&r.history)),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                buffer.push(',');
            }
            csv_field(&mut buffer, field.as_deref());
        }
        buffer.push('\n');
        if buffer.len() >= FLUSH_AT {
            copy.send(buffer.as_bytes()).await?;
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer.as_bytes()).await?;
    }
    copy.finish().await?;
    Ok(())
}

const CLEAR: [&str; 8] = [
    "DELETE FROM rm_jurisdictions",
    "DELETE FROM rm_band_schemes",
    "DELETE FROM rm_indicators",
    "DELETE FROM rm_agencies",
    "DELETE FROM rm_documents",
    "DELETE FROM rm_tasks",
    "DELETE FROM rm_par_results",
    "DELETE FROM rm_agency_records",
];

impl ReadDb {
    /// Connects to the database a URL names. The event store's migrations create the
    /// tables: open the store first.
    pub async fn connect(url: &str) -> Result<ReadDb, ProjectionError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10));
            Ok(ReadDb::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await?,
            ))
        } else {
            Ok(ReadDb::Postgres(
                PgPoolOptions::new().max_connections(4).connect(url).await?,
            ))
        }
    }

    /// The position up to which `name` has applied the log.
    pub async fn checkpoint(&self, name: &str) -> Result<u64, ProjectionError> {
        let sql = "SELECT position FROM projection_checkpoints WHERE name = $1";
        let position: Option<i64> = match self {
            ReadDb::Sqlite(pool) => {
                sqlx::query_scalar(sql)
                    .bind(name)
                    .fetch_optional(pool)
                    .await?
            }
            ReadDb::Postgres(pool) => {
                sqlx::query_scalar(sql)
                    .bind(name)
                    .fetch_optional(pool)
                    .await?
            }
        };
        Ok(position.map_or(0, |p| u64::try_from(p).unwrap_or(0)))
    }

    /// Every row of the progress read-model, with its checkpoint. Read in one
    /// transaction so rows and checkpoint agree.
    pub async fn load(&self) -> Result<(ProgressModel, u64), ProjectionError> {
        let sql = "SELECT position FROM projection_checkpoints WHERE name = $1";
        let (model, position): (ProgressModel, Option<i64>) = match self {
            ReadDb::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let position = sqlx::query_scalar(sql)
                    .bind(PROGRESS)
                    .fetch_optional(&mut *tx)
                    .await?;
                let model = load_rows!(&mut *tx);
                tx.commit().await?;
                (model, position)
            }
            ReadDb::Postgres(pool) => {
                let mut tx = pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                let position = sqlx::query_scalar(sql)
                    .bind(PROGRESS)
                    .fetch_optional(&mut *tx)
                    .await?;
                let model = load_rows!(&mut *tx);
                tx.commit().await?;
                (model, position)
            }
        };
        Ok((model, position.map_or(0, |p| u64::try_from(p).unwrap_or(0))))
    }

    /// Writes the rows a batch changed and moves the checkpoint from `from` to `to`, in
    /// one transaction: each event's effect is applied exactly once.
    pub(crate) async fn write_batch(
        &self,
        model: &ProgressModel,
        keys: &BTreeSet<RowKey>,
        from: u64,
        to: u64,
    ) -> Result<(), ProjectionError> {
        match self {
            ReadDb::Sqlite(pool) => {
                let turn = reform_store::sqlite_write_turn(&reform_store::sqlite_path(pool));
                let _turn = turn.lock().await;
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                write_rows!(tx, Sqlite, model, keys);
                move_checkpoint!(tx, PROGRESS, from, to);
                tx.commit().await?;
            }
            ReadDb::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                write_rows!(tx, Postgres, model, keys);
                move_checkpoint!(tx, PROGRESS, from, to);
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Replaces every row with `model` (built up to `position`) in one transaction:
    /// readers see the old tables or the new ones, never a half-built state.
    pub(crate) async fn replace_all(
        &self,
        model: &ProgressModel,
        position: u64,
    ) -> Result<(), ProjectionError> {
        let keys: BTreeSet<RowKey> = model
            .agencies
            .keys()
            .map(|k| RowKey::Agency(*k))
            .chain(model.documents.keys().map(|k| RowKey::Document(*k)))
            .chain(model.tasks.keys().map(|k| RowKey::Task(*k)))
            .chain(model.par.keys().map(|(a, y)| RowKey::Par(*a, *y)))
            .chain(model.records.keys().map(|a| RowKey::Records(*a)))
            .chain(model.indicators.keys().map(|i| RowKey::Indicator(*i)))
            .chain(model.band_schemes.keys().map(|b| RowKey::Bands(*b)))
            .chain(
                model
                    .jurisdictions
                    .keys()
                    .map(|code| RowKey::Jurisdiction(code.clone())),
            )
            .collect();
        let reset = "INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) \
                     ON CONFLICT (name) DO UPDATE SET position = excluded.position";
        match self {
            ReadDb::Sqlite(pool) => {
                let turn = reform_store::sqlite_write_turn(&reform_store::sqlite_path(pool));
                let _turn = turn.lock().await;
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                for sql in CLEAR {
                    sqlx::query(sql).execute(&mut *tx).await?;
                }
                write_rows!(tx, Sqlite, model, &keys);
                sqlx::query(reset)
                    .bind(PROGRESS)
                    .bind(to_i64(position))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            ReadDb::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // Rebuilds and the follower must not interleave.
                sqlx::query("LOCK TABLE projection_checkpoints IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                for sql in CLEAR {
                    sqlx::query(sql).execute(&mut *tx).await?;
                }
                // The tables are empty: tasks, the bulk, go in by COPY.
                let others: BTreeSet<RowKey> = keys
                    .into_iter()
                    .filter(|k| !matches!(k, RowKey::Task(_)))
                    .collect();
                write_rows!(tx, Postgres, model, &others);
                copy_tasks(&mut tx, model.tasks.values()).await?;
                sqlx::query(reset)
                    .bind(PROGRESS)
                    .bind(to_i64(position))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }
}
