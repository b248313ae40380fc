//! The codes the read-model rows carry, typed: small enums for what the domain keeps
//! only as data-carrying states (an agency's, a document's, a task's), and one trait
//! over every vocabulary a row holds so that the tables can store the code and read
//! it back, refusing a code they do not know.

use reform_domain::{
    AgencyTier, Block, Direction, JurisdictionLevel, Pillar, RollupRule, TaskCategory, Timeliness,
};

use crate::ProjectionError;

macro_rules! row_codes {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in lifecycle order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code the tables and the API use.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The value with this code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

row_codes!(
    /// Whether an agency still exists (the domain's `AgencyStatus` without its dates).
    AgencyRowStatus {
        /// In existence.
        Active = "ACTIVE",
        /// Merged into a successor.
        Merged = "MERGED",
        /// Dissolved.
        Dissolved = "DISSOLVED",
    }
);

row_codes!(
    /// What kind of document a row is (the domain's `DocumentKind` without its fields).
    DocumentRowKind {
        /// A reform program.
        Program = "PROGRAM",
        /// A directive.
        Directive = "DIRECTIVE",
        /// A plan.
        Plan = "PLAN",
    }
);

row_codes!(
    /// Where a task is in its lifecycle (the domain's `TaskStatus` without the
    /// completion's details, which the row keeps in fields of its own).
    TaskRowStatus {
        /// Assigned, no progress reported yet.
        NotStarted = "NOT_STARTED",
        /// Progress reported.
        InProgress = "IN_PROGRESS",
        /// Done.
        Completed = "COMPLETED",
        /// Cancelled.
        Cancelled = "CANCELLED",
    }
);

impl TaskRowStatus {
    /// Neither completed nor cancelled.
    pub fn is_open(self) -> bool {
        matches!(self, TaskRowStatus::NotStarted | TaskRowStatus::InProgress)
    }
}

/// A vocabulary stored in a read-model table as its code.
pub(crate) trait RowCode: Copy {
    /// The code written to the table.
    fn code(self) -> &'static str;
    /// The value a code read back stands for.
    fn from_code(code: &str) -> Option<Self>;
}

macro_rules! row_code {
    ($($ty:ty),+) => {$(
        impl RowCode for $ty {
            fn code(self) -> &'static str {
                <$ty>::code(self)
            }
            fn from_code(code: &str) -> Option<Self> {
                <$ty>::from_code(code)
            }
        }
    )+};
}

row_code!(
    AgencyRowStatus,
    DocumentRowKind,
    TaskRowStatus,
    AgencyTier,
    Block,
    Direction,
    JurisdictionLevel,
    Pillar,
    RollupRule,
    TaskCategory,
    Timeliness
);

/// A column's code read back as its value; a code the vocabulary does not know means
/// the table is corrupt.
pub(crate) fn decode<T: RowCode>(
    table: &str,
    column: &str,
    code: &str,
) -> Result<T, ProjectionError> {
    T::from_code(code)
        .ok_or_else(|| ProjectionError::Corrupt(format!("{table}.{column}: unknown code {code:?}")))
}

/// A nullable column's code read back.
pub(crate) fn decode_opt<T: RowCode>(
    table: &str,
    column: &str,
    code: Option<String>,
) -> Result<Option<T>, ProjectionError> {
    code.map(|c| decode(table, column, &c)).transpose()
}

/// The code to write for a value.
pub(crate) fn encode<T: RowCode>(value: T) -> String {
    value.code().to_owned()
}

/// The code to write for an optional value.
pub(crate) fn encode_opt<T: RowCode>(value: Option<T>) -> Option<String> {
    value.map(encode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in AgencyRowStatus::ALL {
            assert_eq!(AgencyRowStatus::from_code(s.code()), Some(*s));
        }
        for k in DocumentRowKind::ALL {
            assert_eq!(DocumentRowKind::from_code(k.code()), Some(*k));
        }
        for s in TaskRowStatus::ALL {
            assert_eq!(TaskRowStatus::from_code(s.code()), Some(*s));
        }
    }

    #[test]
    fn an_unknown_code_is_a_corrupt_row() {
        let err = decode::<TaskRowStatus>("rm_tasks", "status", "CANCELED")
            .expect_err("a misspelt status is refused");
        assert!(matches!(err, ProjectionError::Corrupt(m) if m.contains("CANCELED")));
        assert_eq!(
            decode_opt::<Timeliness>("rm_tasks", "timeliness", None).ok(),
            Some(None)
        );
    }
}
