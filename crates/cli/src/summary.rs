//! The per-pillar summary `reform demo` prints: a leader's first question, computed by
//! folding the event log. (The projections crate will own read-models; this is the
//! plain fold, the reference they must agree with.)

use std::fmt::Write;

use chrono::NaiveDate;
use reform_domain::{Pillar, TaskCategory, TaskStatus, Timeliness, World};

/// Counts for one pillar (or for cross-cutting work, when `pillar` is `None`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PillarLine {
    /// The pillar, or `None` for cross-cutting work.
    pub pillar: Option<Pillar>,
    /// Tasks, cancelled ones excluded.
    pub tasks: usize,
    /// Completed before the deadline.
    pub early: usize,
    /// Completed on the deadline.
    pub on_time: usize,
    /// Completed after the deadline.
    pub late: usize,
    /// Open and past the deadline on the day asked about.
    pub overdue: usize,
    /// Open, not yet due (or ongoing).
    pub in_progress: usize,
    /// Cancelled (not counted in `tasks` or the percentage).
    pub cancelled: usize,
    /// Simple average of the tasks' percent complete.
    pub percent: f64,
}

/// Pillar by pillar, then cross-cutting work, as of `today`.
pub fn pillar_summary(world: &World, today: NaiveDate) -> Vec<PillarLine> {
    let mut lines: Vec<PillarLine> = Pillar::ALL
        .iter()
        .map(|p| Some(*p))
        .chain(std::iter::once(None))
        .map(|pillar| PillarLine {
            pillar,
            ..PillarLine::default()
        })
        .collect();
    let mut percent_sums = vec![0u64; lines.len()];
    for task in world.tasks.values().filter(|t| t.parent_task.is_none()) {
        let index = match task.category {
            TaskCategory::Pillar(p) => Pillar::ALL
                .iter()
                .position(|q| *q == p)
                .unwrap_or(lines.len() - 1),
            TaskCategory::CrossCutting(_) => lines.len() - 1,
        };
        let line = &mut lines[index];
        match &task.status {
            TaskStatus::Cancelled => {
                line.cancelled += 1;
                continue;
            }
            TaskStatus::Completed { timeliness, .. } => match timeliness {
                Timeliness::Early => line.early += 1,
                Timeliness::OnTime => line.on_time += 1,
                Timeliness::Late => line.late += 1,
            },
            TaskStatus::NotStarted | TaskStatus::InProgress if task.is_overdue(today) => {
                line.overdue += 1
            }
            TaskStatus::NotStarted | TaskStatus::InProgress => line.in_progress += 1,
        }
        line.tasks += 1;
        percent_sums[index] += u64::from(task.percent);
    }
    for (line, sum) in lines.iter_mut().zip(percent_sums) {
        if line.tasks > 0 {
            line.percent = sum as f64 / line.tasks as f64;
        }
    }
    lines
}

/// The summary as a text table.
pub fn render(lines: &[PillarLine], today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Tiến độ theo nội dung cải cách — progress by pillar, as of {today}"
    );
    let _ = writeln!(
        out,
        "{:<52} {:>5} {:>5} {:>7} {:>4} {:>4} {:>7} {:>9} {:>5}",
        "pillar", "tasks", "early", "on-time", "late", "open", "overdue", "cancelled", "%"
    );
    for l in lines {
        let name = l.pillar.map_or(
            "Nhiệm vụ chung (chỉ đạo, tuyên truyền, kiểm tra)",
            |p| p.label_vi(),
        );
        let _ = writeln!(
            out,
            "{:<52} {:>5} {:>5} {:>7} {:>4} {:>4} {:>7} {:>9} {:>5.1}",
            truncate(name, 52),
            l.tasks,
            l.early,
            l.on_time,
            l.late,
            l.in_progress,
            l.overdue,
            l.cancelled,
            l.percent
        );
    }
    out
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}
