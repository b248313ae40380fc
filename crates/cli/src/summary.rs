//! Text renderings of the read-model's answers for the command line.

use std::fmt::Write;

use chrono::NaiveDate;
use reform_projections::queries::{BlockTable, PillarProgress};

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
            "{:<52} {:>5} {:>5} {:>7} {:>4} {:>4} {:>7} {:>9} {:>5.1}",
            truncate(name, 52),
            l.tasks,
            l.early,
            l.on_time,
            l.late,
            l.not_started + l.in_progress,
            l.overdue,
            l.cancelled,
            l.percent
        );
    }
    let rule = lines.first().map_or("", |l| l.rule.label_en());
    let _ = writeln!(
        out,
        "(% by the program's roll-up rule: {rule}; cancelled tasks left out)"
    );
    out
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
        let _ = writeln!(out, "\n{} — average {average}{change}", t.block);
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

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}
