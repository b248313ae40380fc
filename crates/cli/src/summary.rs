//! Text renderings of the read-model's answers for the command line.

use std::fmt::Write;

use chrono::NaiveDate;
use reform_projections::queries::{
    BlockTable, HeadAccountability, NodeRef, PillarProgress, RollupNode, Scorecard,
};
use reform_projections::{ProgressModel, TaskRow};

/// Progress by pillar as a table.
pub fn render_progress(lines: &[PillarProgress], today: NaiveDate) -> String {
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
            "{:<52} {:>5} {:>5} {:>7} {:>4} {:>4} {:>7} {:>9} {:>5}",
            truncate(name, 52),
            l.tasks,
            l.early,
            l.on_time,
            l.late,
            l.not_started + l.in_progress,
            l.overdue,
            l.cancelled,
            percent(l.percent)
        );
    }
    let rule = lines.first().map_or("", |l| l.rule.label_en());
    let _ = writeln!(
        out,
        "(% by the program's roll-up rule: {rule}; cancelled tasks left out)"
    );
    out
}

/// The roll-up tree down to `depth` levels below the program, one node per line with
/// its percentage, the rule's inputs count and its counts.
pub fn render_tree(
    model: &ProgressModel,
    tree: &RollupNode,
    depth: usize,
    today: NaiveDate,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Cây tiến độ — roll-up tree, as of {today}, rule: {}",
        tree.rule.label_en()
    );
    let _ = writeln!(
        out,
        "{:<64} {:>6} {:>5} {:>4} {:>7} {:>4} {:>9}",
        "node", "%", "tasks", "done", "overdue", "late", "cancelled"
    );
    render_node(model, tree, 0, depth, &mut out);
    let _ = writeln!(
        out,
        "(each % combines the children's by the rule; a task with subtasks takes theirs; \
         a task counts its subtasks, or itself without any; cancelled work and empty nodes \
         are left out)"
    );
    out
}

fn render_node(
    model: &ProgressModel,
    node: &RollupNode,
    level: usize,
    depth: usize,
    out: &mut String,
) {
    let name = match node.node {
        NodeRef::Program(Some(id)) | NodeRef::Plan(id) => model
            .documents
            .get(&id)
            .map_or_else(|| id.to_string(), |d| format!("{} {}", d.number, d.title)),
        NodeRef::Program(None) => "Tất cả chương trình — all programs".to_owned(),
        NodeRef::Pillar(p) => p
            .map_or(
                "Nhiệm vụ chung (chỉ đạo, tuyên truyền, kiểm tra)",
                |p| p.label_vi(),
            )
            .to_owned(),
        NodeRef::Task(id) => model
            .tasks
            .get(&id)
            .map_or_else(|| id.to_string(), |t| t.title.clone()),
    };
    let c = &node.counts;
    let label = format!("{}{}", "  ".repeat(level), name);
    let _ = writeln!(
        out,
        "{:<64} {:>6} {:>5} {:>4} {:>7} {:>4} {:>9}",
        truncate(&label, 64),
        percent(node.percent),
        c.counted(),
        c.completed(),
        c.overdue,
        c.late,
        c.cancelled
    );
    if level < depth {
        for child in &node.children {
            render_node(model, child, level + 1, depth, out);
        }
    }
}

/// A task list, one task a line: deadline, status, percent (its figure on `today`,
/// as the roll-up tree shows it; "—" when cancelled), its plan's number, title and
/// lead, "overdue" when open past its deadline; then how many.
pub fn render_tasks(model: &ProgressModel, tasks: &[&TaskRow], today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<12} {:<11} {:>6}  {:<16} task — lead",
        "deadline", "status", "%", "plan"
    );
    for task in tasks {
        let figure = model.task_figure(task, today);
        let lead = model
            .agencies
            .get(&task.lead_id)
            .map_or("?", |a| a.name.as_str());
        let plan = model
            .documents
            .get(&task.plan_id)
            .map_or("?", |d| d.number.as_str());
        let deadline = task
            .deadline
            .map_or("thường xuyên".to_owned(), |d| d.to_string());
        let _ = writeln!(
            out,
            "{deadline:<12} {:<11} {:>6}  {:<16} {} — {lead}{}",
            figure.status.code(),
            percent(figure.percent),
            truncate(plan, 16),
            task.title,
            if figure.is_overdue() {
                "  (overdue)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(out, "{} tasks", tasks.len());
    out
}

/// A percent as the tables print it: one decimal, "—" for none.
fn percent(value: Option<f64>) -> String {
    value.map_or("—".to_owned(), |p| format!("{p:.1}"))
}

/// PAR league tables as text.
pub fn render_league(tables: &[BlockTable], year: i32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Chỉ số CCHC (PAR INDEX) {year} — league tables by block"
    );
    for t in tables {
        let average = t.average.map_or("—".to_owned(), |a| format!("{a:.2}"));
        let change = t
            .change()
            .map_or(String::new(), |c| format!(" ({c:+.2} on {})", year - 1));
        let _ = writeln!(out, "\n{} — average {average}{change}", t.block.code());
        for e in &t.ranked {
            let _ = writeln!(
                out,
                "{:>3}. {:<52} {:>7.2}  {}",
                e.rank,
                truncate(&e.name, 52),
                e.total,
                e.band.as_deref().unwrap_or("")
            );
        }
        for (name, reason) in &t.not_evaluated {
            let _ = writeln!(
                out,
                "  –  {:<52} not evaluated: {reason}",
                truncate(name, 52)
            );
        }
        let counts: Vec<String> = t
            .band_counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(band, n)| format!("{n} {band}"))
            .collect();
        let _ = writeln!(out, "     bands: {}", counts.join(", "));
    }
    out
}

/// An agency's scorecard as text.
pub fn render_scorecard(card: &Scorecard, today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — scorecard as of {today}", card.name);
    if let Some(h) = &card.head {
        let _ = writeln!(
            out,
            "  head: {} ({}), since {}",
            h.name,
            h.title.as_deref().unwrap_or(""),
            h.from
        );
    }
    let _ = writeln!(
        out,
        "  tasks led {} (+{} inherited), coordinated {}; completed in time {}, late {}; overdue now {}",
        card.tasks_led, card.tasks_inherited, card.tasks_coordinated, card.completed_in_time, card.completed_late,
        card.overdue_now
    );
    if let Some(days) = card.average_days_late {
        let _ = writeln!(out, "  late completions: {days:.1} days late on average");
    }
    if let Some(p) = &card.par {
        let total = p
            .total
            .map_or("not evaluated".to_owned(), |t| format!("{t:.2}"));
        let rank = p.rank.map_or(String::new(), |r| {
            format!(", rank {r} in {}", p.block.code())
        });
        let _ = writeln!(
            out,
            "  PAR INDEX {}: {total} {}{rank}",
            p.year,
            p.band.as_deref().unwrap_or("")
        );
    }
    if let Some(s) = &card.sipas {
        let _ = writeln!(out, "  SIPAS {}: {:.2}%", s.year, s.percent);
    }
    if let Some((to, rate)) = card.dossier_on_time_rate {
        let _ = writeln!(
            out,
            "  dossiers resolved in time (to {to}): {:.2}%",
            rate * 100.0
        );
    }
    out
}

/// Accountability by head as text.
pub fn render_accountability(rows: &[HeadAccountability], today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Trách nhiệm người đứng đầu — accountability by head of agency, as of {today}"
    );
    for r in rows {
        let rate = r
            .on_time_rate
            .map_or("—".to_owned(), |x| format!("{:.0}%", x * 100.0));
        let _ = writeln!(
            out,
            "{} — {} ({} → {}): due {}, in time {}, late {}, overdue {}, on time {rate}{}",
            r.agency_name,
            r.head.name,
            r.head.from,
            r.counted_to,
            r.tasks_due,
            r.completed_in_time,
            r.completed_late,
            r.overdue_now,
            r.par_band
                .as_ref()
                .map_or(String::new(), |b| format!(", PAR {b}"))
        );
        if r.no_emulation_reward {
            let _ = writeln!(
                out,
                "    KHÔNG xét thi đua, khen thưởng (no emulation rewards): {}",
                r.reasons.join("; ")
            );
        }
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
