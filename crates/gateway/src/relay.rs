//! Relay conventions: opaque global ids, cursors, and page arguments (`first` or
//! `last` required, clamped to 100).

use std::ops::Range;

use async_graphql::{SimpleObject, ID};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use uuid::Uuid;

use crate::error::ApiError;

/// The most items one page holds.
pub const MAX_PAGE: usize = 100;

/// The kinds of things `node(id)` resolves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A program.
    Program,
    /// A directive.
    Directive,
    /// A plan.
    Plan,
    /// A task.
    Task,
    /// An agency.
    Agency,
    /// An indicator.
    Indicator,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Program => "Program",
            Kind::Directive => "Directive",
            Kind::Plan => "Plan",
            Kind::Task => "Task",
            Kind::Agency => "Agency",
            Kind::Indicator => "Indicator",
        }
    }

    const ALL: [Kind; 6] = [
        Kind::Program,
        Kind::Directive,
        Kind::Plan,
        Kind::Task,
        Kind::Agency,
        Kind::Indicator,
    ];
}

/// The global id of a thing: opaque to clients, stable for ever.
pub fn global_id(kind: Kind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// Reads a global id of any kind.
pub fn parse_any(id: &ID) -> Result<(Kind, Uuid), ApiError> {
    let invalid = || {
        ApiError::bad_input(
            "id",
            format!("{} is not an id of this API", crate::error::quoted(&id.0)),
        )
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(id.0.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (name, uuid) = text.split_once(':').ok_or_else(invalid)?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(invalid)?;
    let uuid = Uuid::parse_str(uuid).map_err(|_| invalid())?;
    Ok((kind, uuid))
}

/// Reads an optional global id that must be of `kind`.
pub fn parse_optional(id: &Option<ID>, kind: Kind, field: &str) -> Result<Option<Uuid>, ApiError> {
    id.as_ref().map(|id| parse(id, kind, field)).transpose()
}

/// Reads a global id that must be of `kind`; `field` names the argument in errors.
pub fn parse(id: &ID, kind: Kind, field: &str) -> Result<Uuid, ApiError> {
    match parse_any(id) {
        Ok((k, uuid)) if k == kind => Ok(uuid),
        Ok((k, _)) => Err(ApiError::bad_input(
            field,
            format!(
                "expected the id of a {}, got that of a {}",
                kind.name(),
                k.name()
            ),
        )),
        Err(_) => Err(ApiError::bad_input(
            field,
            format!(
                "{} is not the id of a {}",
                crate::error::quoted(&id.0),
                kind.name()
            ),
        )),
    }
}

fn cursor_of(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{key}"))
}

fn key_of(cursor: &str, field: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("cursor:").map(str::to_owned))
        .ok_or_else(|| ApiError::bad_input(field, "not a cursor this API gave out"))
}

/// Relay page information.
#[derive(SimpleObject, Clone, Debug, Default)]
pub struct PageInfo {
    /// More items after this page.
    pub has_next_page: bool,
    /// More items before this page.
    pub has_previous_page: bool,
    /// The first item's cursor.
    pub start_cursor: Option<String>,
    /// The last item's cursor.
    pub end_cursor: Option<String>,
}

/// The page arguments of a connection field.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    /// From the start: this many.
    pub first: Option<i32>,
    /// After this cursor.
    pub after: Option<String>,
    /// From the end: this many.
    pub last: Option<i32>,
    /// Before this cursor.
    pub before: Option<String>,
}

/// The window of `items` (already filtered and ordered) a page asks for, found
/// without touching the items outside it: `first`/`last` are required and clamped to
/// [`MAX_PAGE`]; a cursor whose item has left the list is an error.
pub fn window<T>(
    items: &[T],
    key: impl Fn(&T) -> String,
    args: &PageArgs,
) -> Result<(Range<usize>, PageInfo), ApiError> {
    let count = |n: Option<i32>, field: &str| -> Result<Option<usize>, ApiError> {
        match n {
            None => Ok(None),
            Some(n) if n < 0 => Err(ApiError::bad_input(field, "must not be negative")),
            Some(n) => Ok(Some(usize::try_from(n).unwrap_or(MAX_PAGE).min(MAX_PAGE))),
        }
    };
    let (first, last) = (count(args.first, "first")?, count(args.last, "last")?);
    if first.is_none() && last.is_none() {
        return Err(ApiError::bad_input(
            "first",
            format!("give `first` or `last` (at most {MAX_PAGE})"),
        ));
    }
    let position = |cursor: &Option<String>, field: &str| -> Result<Option<usize>, ApiError> {
        match cursor {
            None => Ok(None),
            Some(c) => {
                let k = key_of(c, field)?;
                items
                    .iter()
                    .position(|x| key(x) == k)
                    .map(Some)
                    .ok_or_else(|| {
                        ApiError::bad_input(field, "the cursor's item is no longer in this list")
                    })
            }
        }
    };
    let mut start = position(&args.after, "after")?.map_or(0, |p| p + 1);
    let mut end = position(&args.before, "before")?.unwrap_or(items.len());
    end = end.max(start);
    if let Some(first) = first {
        end = end.min(start + first);
    }
    if let Some(last) = last {
        start = start.max(end.saturating_sub(last));
    }
    let info = PageInfo {
        has_next_page: end < items.len(),
        has_previous_page: start > 0,
        start_cursor: items
            .get(start)
            .filter(|_| start < end)
            .map(|x| cursor_of(&key(x))),
        end_cursor: end
            .checked_sub(1)
            .filter(|e| *e >= start && end > start)
            .and_then(|e| items.get(e))
            .map(|x| cursor_of(&key(x))),
    };
    Ok((start..end, info))
}

/// The page of `items` a page asks for (see [`window`]), each with its cursor.
pub fn page<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    args: &PageArgs,
) -> Result<(Vec<(String, T)>, PageInfo), ApiError> {
    let (range, info) = window(&items, &key, args)?;
    let page = items
        .into_iter()
        .skip(range.start)
        .take(range.len())
        .map(|item| (cursor(&key(&item)), item))
        .collect();
    Ok((page, info))
}

/// The key a cursor stands for (`field` names the argument in errors).
pub fn cursor_key(cursor: &str, field: &str) -> Result<String, ApiError> {
    key_of(cursor, field)
}

/// The cursor of an item whose key is `key`.
pub fn cursor(key: &str) -> String {
    cursor_of(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(first: Option<i32>, after: Option<String>, last: Option<i32>) -> PageArgs {
        PageArgs {
            first,
            after,
            last,
            before: None,
        }
    }

    #[test]
    fn pages_walk_forward_and_backward() {
        let items: Vec<u32> = (0..250).collect();
        let key = |i: &u32| i.to_string();
        let (one, info) = page(items.clone(), key, &args(Some(1000), None, None)).expect("page");
        assert_eq!(one.len(), MAX_PAGE, "clamped");
        assert!(info.has_next_page && !info.has_previous_page);
        let (two, info) =
            page(items.clone(), key, &args(Some(100), info.end_cursor, None)).expect("page");
        assert_eq!(two.first().map(|(_, i)| *i), Some(100));
        assert!(info.has_previous_page);
        let (tail, info) = page(items.clone(), key, &args(None, None, Some(3))).expect("page");
        assert_eq!(
            tail.iter().map(|(_, i)| *i).collect::<Vec<_>>(),
            vec![247, 248, 249]
        );
        assert!(!info.has_next_page && info.has_previous_page);
        assert!(page(items.clone(), key, &args(None, None, None)).is_err());
        assert!(page(items, key, &args(Some(1), Some("junk".into()), None)).is_err());
    }

    #[test]
    fn ids_are_opaque_and_typed() {
        let uuid = Uuid::now_v7();
        let id = global_id(Kind::Task, uuid);
        assert!(!id.0.contains(&uuid.to_string()));
        assert_eq!(parse(&id, Kind::Task, "id").expect("task"), uuid);
        assert!(parse(&id, Kind::Agency, "agencyId").is_err());
        assert!(parse_any(&ID("nonsense".into())).is_err());
    }
}
