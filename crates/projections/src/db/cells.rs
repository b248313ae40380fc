//! A read-model row read back: its column values taken one by one, in its table's
//! column order, each as the kind the row's field wants.

use std::str::FromStr;

use chrono::NaiveDate;
use uuid::Uuid;

use super::tables::{Kind, Value, Values};
use crate::vocab::{decode, decode_opt, RowCode};
use crate::ProjectionError;

/// A row read back, taken column by column in its table's order; a value that does
/// not read as its column's kind is a [`ProjectionError::Corrupt`] naming the column.
pub(super) struct Cells {
    table: &'static str,
    columns: std::slice::Iter<'static, (&'static str, Kind)>,
    values: std::vec::IntoIter<Value>,
    column: &'static str,
}

impl Cells {
    pub(super) fn new(
        table: &'static str,
        columns: &'static [(&'static str, Kind)],
        values: Values,
    ) -> Cells {
        Cells {
            table,
            columns: columns.iter(),
            values: values.into_iter(),
            column: "",
        }
    }

    fn next(&mut self) -> Option<Value> {
        self.column = self.columns.next().map_or("", |(name, _)| *name);
        self.values.next()
    }

    fn corrupt(&self, what: &str, value: &str) -> ProjectionError {
        ProjectionError::Corrupt(format!(
            "{what} {value:?} in {}.{} does not parse",
            self.table, self.column
        ))
    }

    pub(super) fn opt_text(&mut self) -> Result<Option<String>, ProjectionError> {
        match self.next() {
            Some(Value::Text(text)) => Ok(text),
            _ => Err(self.corrupt("a value", "not text")),
        }
    }

    pub(super) fn text(&mut self) -> Result<String, ProjectionError> {
        self.opt_text()?
            .ok_or_else(|| self.corrupt("a value", "NULL"))
    }

    pub(super) fn opt_int(&mut self) -> Result<Option<i64>, ProjectionError> {
        match self.next() {
            Some(Value::Int(int)) => Ok(int),
            _ => Err(self.corrupt("a value", "not an integer")),
        }
    }

    pub(super) fn int(&mut self) -> Result<i64, ProjectionError> {
        self.opt_int()?
            .ok_or_else(|| self.corrupt("a value", "NULL"))
    }

    pub(super) fn opt_real(&mut self) -> Result<Option<f64>, ProjectionError> {
        match self.next() {
            Some(Value::Real(real)) => Ok(real),
            _ => Err(self.corrupt("a value", "not a number")),
        }
    }

    pub(super) fn opt_uuid(&mut self) -> Result<Option<Uuid>, ProjectionError> {
        self.opt_text()?
            .map(|v| Uuid::from_str(&v).map_err(|_| self.corrupt("identifier", &v)))
            .transpose()
    }

    pub(super) fn uuid(&mut self) -> Result<Uuid, ProjectionError> {
        let value = self.text()?;
        Uuid::from_str(&value).map_err(|_| self.corrupt("identifier", &value))
    }

    pub(super) fn opt_date(&mut self) -> Result<Option<NaiveDate>, ProjectionError> {
        self.opt_text()?
            .map(|v| {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| self.corrupt("date", &v))
            })
            .transpose()
    }

    pub(super) fn code<T: RowCode>(&mut self) -> Result<T, ProjectionError> {
        let value = self.text()?;
        decode(self.table, self.column, &value)
    }

    pub(super) fn opt_code<T: RowCode>(&mut self) -> Result<Option<T>, ProjectionError> {
        let value = self.opt_text()?;
        decode_opt(self.table, self.column, value)
    }

    pub(super) fn json<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, ProjectionError> {
        let value = self.text()?;
        serde_json::from_str(&value).map_err(|_| self.corrupt("JSON", &value))
    }

    pub(super) fn ids(&mut self) -> Result<Vec<Uuid>, ProjectionError> {
        let value = self.text()?;
        let ids: Vec<String> =
            serde_json::from_str(&value).map_err(|_| self.corrupt("identifier list", &value))?;
        ids.iter()
            .map(|id| Uuid::from_str(id).map_err(|_| self.corrupt("identifier", id)))
            .collect()
    }
}
