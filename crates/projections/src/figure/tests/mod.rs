//! Every figure this crate shows, against a fold written here from the events alone.
//!
//! Random histories go through the domain's own `decide` (refused steps are skipped, as
//! a user's refused command writes nothing): plans under programs of every roll-up
//! rule (one through a directive, one under a provincial program), subtasks of
//! subtasks, reports by leads and coordinators, completions early, on time, late and
//! recorded days after the fact, extensions, deadlines amended earlier, reassignments,
//! cancellations, reopenings, mergers with the transfers they owe, new heads. On random
//! days, the model as it stood (the events up to that day) must show, for every task,
//! the percent and status the fold computes — in the roll-up tree of every program,
//! [`ProgressModel::task_figure`] (what `Task` shows), the task list's counts, average
//! and status filter, agency tallies and scorecards, and accountability — and the whole
//! history must answer "overdue on that day" as things stood then.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use proptest::prelude::*;
use reform_domain::{
    chronology, decide, policy, AgencyId, AgencyTier, Block, Command, Deadline, DocumentHeader,
    DocumentId, Event, Period, Person, Pillar, ProgramLevel, RollupRule, TaskCategory, TaskId,
    Timeliness, World,
};

use crate::figure::Standing;
use crate::memo::Memo;
use crate::model::{ProgressModel, TaskRowStatus};
use crate::queries::{
    accountability, agency_tallies, rollup_tree, scorecard, select_tasks, tasks, NodeRef,
    RewardRule, RollupNode, TaskFilter, TaskOrder, NO_FALLBACK,
};

mod fold;
mod histories;
mod incremental;
mod surfaces;

use fold::*;
use histories::*;
use surfaces::*;
