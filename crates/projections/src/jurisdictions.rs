//! The register of jurisdictions as the read side uses it: where a record's
//! jurisdiction lies (in its parent, and after a merger in its successor) and what it
//! is called.

use std::collections::BTreeSet;

use crate::model::{JurisdictionRow, ProgressModel};
use crate::tree::lies_in_by_code;

/// Longest chain of parents and successors followed: the register is a tree (the
/// domain refuses cycles), this only bounds a corrupt one.
const MAX_DEPTH: usize = 16;

impl ProgressModel {
    /// Whether a record of `jurisdiction` lies in `within` (everything lies in `None`,
    /// the whole country): it is `within`, or lies in it through its parents, or through
    /// the jurisdiction it merged into — Quảng Nam's plans lie in Đà Nẵng after 1 July
    /// 2025. A code not in the register lies in what its code is under (`VN-DN-…` in
    /// `VN-DN`), as before jurisdictions were data.
    pub fn lies_in(&self, jurisdiction: &str, within: Option<&str>) -> bool {
        let Some(within) = within else {
            return true;
        };
        let mut current = jurisdiction;
        for _ in 0..MAX_DEPTH {
            if current == within {
                return true;
            }
            match self.jurisdictions.get(current) {
                Some(row) => match row.successor.as_deref().or(row.parent.as_deref()) {
                    Some(next) => current = next,
                    None => return false,
                },
                None => return lies_in_by_code(current, Some(within)),
            }
        }
        false
    }

    /// The jurisdiction with this code, if registered.
    pub fn jurisdiction(&self, code: &str) -> Option<&JurisdictionRow> {
        self.jurisdictions.get(code)
    }

    /// The province (or centrally-run city) a record of `jurisdiction` belongs to
    /// today: up through its parents and successors to a live province, so that
    /// Quảng Nam's plans count for Đà Nẵng. A code not in the register belongs to the
    /// province its code starts with (`VN-DN-01` to `VN-DN`); the nation to itself.
    pub fn province_of(&self, jurisdiction: &str) -> String {
        let mut current = jurisdiction;
        for _ in 0..MAX_DEPTH {
            let Some(row) = self.jurisdictions.get(current) else {
                break;
            };
            match (&row.successor, &row.parent) {
                (Some(successor), _) => current = successor,
                (None, Some(parent)) if parent != reform_domain::NATIONAL => current = parent,
                _ => return current.to_owned(),
            }
        }
        current.splitn(3, '-').take(2).collect::<Vec<_>>().join("-")
    }

    /// A jurisdiction's name for people: the register's, else its code.
    pub fn jurisdiction_name<'m>(&'m self, code: &'m str) -> &'m str {
        self.jurisdictions
            .get(code)
            .map_or(code, |row| row.name.as_str())
    }

    /// The jurisdictions a viewer of `within` answers for today: the live provinces of
    /// the nation (for `None` or `VN`), else `within`'s live children. Merged ones are
    /// left out: their records count under their successors.
    pub fn live_children(&self, within: Option<&str>) -> BTreeSet<String> {
        let parent = within.unwrap_or(reform_domain::NATIONAL);
        self.jurisdictions
            .values()
            .filter(|row| row.parent.as_deref() == Some(parent) && row.successor.is_none())
            .map(|row| row.code.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use reform_domain::{Event, JurisdictionEstablished, JurisdictionLevel, JurisdictionMerged};

    use crate::model::ProgressModel;

    fn model(events: &[Event]) -> ProgressModel {
        let mut model = ProgressModel::default();
        for e in events {
            model.apply(e, chrono::DateTime::UNIX_EPOCH);
        }
        model
    }

    fn established(code: &str, level: JurisdictionLevel, parent: Option<&str>) -> Event {
        Event::JurisdictionEstablished(JurisdictionEstablished {
            code: code.into(),
            name: format!("Đơn vị {code}"),
            level,
            parent: parent.map(Into::into),
            established_on: NaiveDate::from_ymd_opt(2008, 8, 1).unwrap_or_default(),
            legal_basis: None,
        })
    }

    #[test]
    fn a_merged_province_and_its_communes_lie_in_the_successor() {
        use JurisdictionLevel::*;
        let m = model(&[
            established("VN", Nation, None),
            established("VN-DN", Province, Some("VN")),
            established("VN-27", Province, Some("VN")),
            established("VN-23", Province, Some("VN")),
            established("VN-27-TK", Commune, Some("VN-27")),
            Event::JurisdictionMerged(JurisdictionMerged {
                code: "VN-27".into(),
                successor: "VN-DN".into(),
                effective_on: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default(),
                legal_basis: "202/2025/QH15".into(),
            }),
        ]);
        for (code, within, expected) in [
            ("VN-27", Some("VN-DN"), true),
            ("VN-27-TK", Some("VN-DN"), true),
            ("VN-27-TK", Some("VN-27"), true),
            ("VN-DN", Some("VN-27"), false),
            ("VN-23", Some("VN-DN"), false),
            ("VN-27", Some("VN"), true),
            ("VN-27", None, true),
            // Not registered: the code's own structure.
            ("VN-DN-01", Some("VN-DN"), true),
            ("VN-DNX", Some("VN-DN"), false),
        ] {
            assert_eq!(m.lies_in(code, within), expected, "{code} in {within:?}");
        }
        assert_eq!(m.jurisdiction_name("VN-27"), "Đơn vị VN-27");
        assert_eq!(m.province_of("VN-27-TK"), "VN-DN");
        assert_eq!(m.province_of("VN-27"), "VN-DN");
        assert_eq!(m.province_of("VN-23"), "VN-23");
        assert_eq!(m.province_of("VN-05-X"), "VN-05");
        assert_eq!(m.province_of("VN"), "VN");
        assert_eq!(m.jurisdiction_name("VN-99"), "VN-99");
        assert_eq!(
            m.live_children(None).into_iter().collect::<Vec<_>>(),
            ["VN-23", "VN-DN"]
        );
    }
}
