//! Agency names as people type them, matched to the agencies on record: case,
//! diacritics and the usual prefixes ("UBND", "Ủy ban nhân dân", "Sở") do not matter,
//! short names and former names count, and a name that matches nothing comes back
//! with the nearest names on record.

use std::collections::HashMap;

use reform_domain::{fold_for_search, Agency, AgencyId, AgencyStatus, World, NATIONAL};

/// Words that name the kind of body, dropped before comparing.
const PREFIXES: [&str; 6] = ["ubnd", "so", "ban", "cuc", "chi cuc", "van phong"];

/// How well the nearest names must match to be suggested (0–1).
const SUGGESTION_THRESHOLD: f64 = 0.75;

/// What a name in a cell turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    /// Exactly one agency in service.
    Found(AgencyId),
    /// An agency no longer in service; the message says what became of it.
    Inactive(String),
    /// Several agencies answer to the name.
    Ambiguous(Vec<String>),
    /// None; the nearest names on record, best first.
    Unknown(Vec<String>),
}

/// The agencies a plan may assign work to, indexed by folded name.
pub struct AgencyIndex<'w> {
    world: &'w World,
    by_key: HashMap<String, Vec<AgencyId>>,
    /// (key, display name) of every agency in service, for suggestions.
    names: Vec<(String, String)>,
}

impl<'w> AgencyIndex<'w> {
    /// The agencies of `jurisdiction` and national ones.
    pub fn new(world: &'w World, jurisdiction: &str) -> Self {
        let mut by_key: HashMap<String, Vec<AgencyId>> = HashMap::new();
        let mut names = Vec::new();
        for agency in world
            .agencies
            .values()
            .filter(|a| a.jurisdiction == jurisdiction || a.jurisdiction == NATIONAL)
        {
            let mut keys: Vec<String> = std::iter::once(agency.name.as_str())
                .chain(agency.short_name.as_deref())
                .chain(agency.former_names.iter().map(|(n, _)| n.as_str()))
                .map(key)
                .filter(|k| !k.is_empty())
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                by_key.entry(k).or_default().push(agency.id);
            }
            if agency.status == AgencyStatus::Active {
                for typed in std::iter::once(&agency.name).chain(&agency.short_name) {
                    names.push((key(typed), agency.name.clone()));
                }
            }
        }
        AgencyIndex {
            world,
            by_key,
            names,
        }
    }

    /// The agency a typed name stands for.
    pub fn find(&self, typed: &str) -> Match {
        let wanted = key(typed);
        let found: Vec<&Agency> = self
            .by_key
            .get(&wanted)
            .into_iter()
            .flatten()
            .filter_map(|id| self.world.agencies.get(id))
            .collect();
        // A name an agency in service answers to wins over the same name kept as a
        // former name by one that merged away.
        let active: Vec<&Agency> = found
            .iter()
            .filter(|a| a.status == AgencyStatus::Active)
            .copied()
            .collect();
        match (active.as_slice(), found.as_slice()) {
            ([one], _) => Match::Found(one.id),
            ([], []) => Match::Unknown(self.suggestions(&wanted)),
            ([], [gone]) => Match::Inactive(self.fate(gone)),
            ([], several) | (several @ [_, _, ..], _) => {
                let mut names: Vec<String> = several.iter().map(|a| a.name.clone()).collect();
                names.sort();
                Match::Ambiguous(names)
            }
        }
    }

    fn fate(&self, agency: &Agency) -> String {
        match agency.status {
            AgencyStatus::Merged { successor, on } => format!(
                "{} was merged into {} on {}; assign the work to {}",
                agency.name,
                self.name_of(successor),
                on.format("%-d/%-m/%Y"),
                self.name_of(successor)
            ),
            AgencyStatus::Dissolved { on } => format!(
                "{} was dissolved on {}",
                agency.name,
                on.format("%-d/%-m/%Y")
            ),
            AgencyStatus::Active => agency.name.clone(),
        }
    }

    /// An agency's current name.
    pub fn name_of(&self, id: AgencyId) -> String {
        self.world
            .agencies
            .get(&id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    fn suggestions(&self, wanted: &str) -> Vec<String> {
        // Typos score high on edit distance, missing words ("Sở Tư pháp" for "Sở Tư
        // pháp thành phố Đà Nẵng") on a shared beginning: take the better of the two.
        let mut best: HashMap<&String, f64> = HashMap::new();
        for (k, name) in &self.names {
            let score =
                strsim::normalized_levenshtein(wanted, k).max(strsim::jaro_winkler(wanted, k));
            let entry = best.entry(name).or_insert(0.0);
            *entry = entry.max(score);
        }
        let mut scored: Vec<(f64, &String)> = best
            .into_iter()
            .map(|(name, score)| (score, name))
            .filter(|(score, _)| *score >= SUGGESTION_THRESHOLD)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, n)| n.clone()).collect()
    }
}

/// A name folded for comparison: lower case, no diacritics or punctuation, the kind
/// of body dropped ("UBND huyện Hoài Đức" and "Huyện Hoài Đức" compare equal).
pub fn key(name: &str) -> String {
    let folded = fold_for_search(name).replace("uy ban nhan dan", "ubnd");
    let cleaned: String = folded
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '&' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    // One prefix only: "Văn phòng UBND thành phố" must not become "UBND thành phố".
    let stripped = PREFIXES
        .iter()
        .find_map(|p| collapsed.strip_prefix(p).filter(|r| r.starts_with(' ')))
        .map(str::trim)
        .filter(|rest| !rest.is_empty())
        .map(str::to_owned);
    stripped.unwrap_or(collapsed)
}

/// Whether a name stands for a group of agencies rather than one ("Các sở, ban,
/// ngành", "các cơ quan liên quan"): plans write these, and they name nobody.
pub fn is_collective(name: &str) -> bool {
    let folded = fold_for_search(name);
    folded.starts_with("cac ")
        || folded.contains(" cac ")
        || folded.contains("lien quan")
        || folded.starts_with("toan ")
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn names_compare_without_case_diacritics_and_prefixes() {
        assert_eq!(key("Sở Nội vụ"), "noi vu");
        assert_eq!(key("so noi vu"), "noi vu");
        assert_eq!(key("SỞ NỘI VỤ"), "noi vu");
        assert_eq!(
            key("Ủy ban nhân dân huyện Hoài Đức"),
            key("UBND huyện Hoài Đức")
        );
        assert_eq!(key("UBND huyện Hoài Đức"), "huyen hoai duc");
        assert_eq!(
            key("Sở Thông tin và Truyền thông"),
            "thong tin va truyen thong"
        );
        assert_eq!(key("Sở TT&TT"), "tt&tt");
        assert_eq!(key(" Sở  Tư pháp. "), "tu phap");
        assert_eq!(key("Văn phòng UBND thành phố"), "ubnd thanh pho");
        assert_ne!(key("Văn phòng UBND thành phố"), key("UBND thành phố"));
    }
}
