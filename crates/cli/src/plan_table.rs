//! `reform import plan` and `reform export plan`: a plan's task table from and to a
//! spreadsheet, with the import's report printed for the secretariat.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use reform_commands::CommandHandler;
use reform_domain::Role;
use reform_interchange::{Format, ImportOptions, ImportReport};
use reform_store::{Actor, CommandMetadata};

/// The rows of the file are wrong and nothing was written (exit code 3).
#[derive(Debug, thiserror::Error)]
#[error("nothing was imported: {errors} row problem(s); fix them, or import the valid rows with --partial")]
pub struct Refused {
    /// How many problems the report lists.
    pub errors: usize,
}

/// What `reform import plan` was asked.
#[derive(Clone, Debug)]
pub struct ImportArgs {
    /// The file.
    pub file: std::path::PathBuf,
    /// The plan: its id or its number.
    pub plan: String,
    /// Import the valid rows even if some are wrong.
    pub partial: bool,
    /// Report only.
    pub dry_run: bool,
    /// Recorded on amendments.
    pub reason: String,
    /// Forced format (default: by extension, else by content).
    pub format: Option<Format>,
    /// Who imports (recorded as the secretariat user).
    pub user: String,
    /// The day the changes took place, when not today.
    pub on: Option<chrono::NaiveDate>,
}

/// The format a file is in: as asked, else by its name, else by its first bytes.
pub fn format_of(path: &Path, asked: Option<Format>, bytes: &[u8]) -> Format {
    asked
        .or_else(|| Format::from_name(&path.to_string_lossy()))
        .unwrap_or_else(|| Format::sniff(bytes))
}

/// A file's bytes, refused past the import's size limit without reading further (a
/// device or a growing file included).
fn read_bounded(path: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let limit = reform_interchange::limits::FILE_BYTES;
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() > limit {
        anyhow::bail!(
            "{} is too large: the most accepted is {limit} bytes",
            path.display()
        );
    }
    Ok(bytes)
}

/// Runs an import and renders its report. `Err(Refused)` when rows are wrong and
/// nothing was written.
pub async fn import(handler: &CommandHandler, args: &ImportArgs) -> anyhow::Result<String> {
    let bytes = read_bounded(&args.file)?;
    let format = format_of(&args.file, args.format, &bytes);
    let plan = reform_interchange::resolve_plan(handler, &args.plan).await?;
    let actor = Actor {
        user_id: args.user.clone(),
        display_name: args.user.clone(),
        role: Role::Secretariat,
        agency: None,
    };
    let mut metadata = CommandMetadata::new(actor, chrono::Utc::now()).on(args.on);
    metadata.reason = Some(args.reason.clone());
    let options = ImportOptions {
        partial: args.partial,
        reason: args.reason.clone(),
    };
    let report = reform_interchange::import_plan(
        handler,
        plan,
        &bytes,
        format,
        &options,
        &metadata,
        args.dry_run,
    )
    .await?;
    let rendered = render(&report, &args.plan, args.dry_run);
    if !report.errors.is_empty() && !report.written && !args.dry_run {
        print!("{rendered}");
        return Err(Refused {
            errors: report.errors.len(),
        }
        .into());
    }
    Ok(rendered)
}

/// The report as the secretariat reads it.
pub fn render(report: &ImportReport, plan: &str, dry_run: bool) -> String {
    let mut out = String::new();
    let sheet = if report.sheet.is_empty() {
        String::new()
    } else {
        format!("sheet \"{}\", ", report.sheet)
    };
    let _ = writeln!(
        out,
        "{sheet}header on row {}: {} numbered rows{}",
        report.header_row,
        report.task_rows,
        match report.headings {
            0 => String::new(),
            1 => " (1 is a heading over its sub-rows)".to_owned(),
            n => format!(" ({n} are headings over their sub-rows)"),
        }
    );
    let verb = match (dry_run, report.written) {
        (true, _) => "would import",
        (false, true) => "imported",
        (false, false) if report.errors.is_empty() => "nothing to change in",
        (false, false) => "nothing imported into",
    };
    let _ = writeln!(
        out,
        "{verb} {plan}: {} created, {} amended, {} unchanged{}",
        report.created,
        report.amended,
        report.unchanged,
        if report.skipped > 0 {
            format!(", {} skipped", report.skipped)
        } else {
            String::new()
        }
    );
    for (title, problems) in [("warnings", &report.warnings), ("errors", &report.errors)] {
        if problems.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title} ({}):", problems.len());
        for p in problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    out
}

/// PAR INDEX league tables as one sheet: a section per block, ranked agencies with
/// total and band, the not-evaluated apart, band counts and averages.
pub fn league_table(
    tables: &[reform_projections::queries::BlockTable],
    year: i32,
    jurisdiction: Option<&str>,
) -> reform_interchange::Table {
    use reform_interchange::{Cell, Row};
    let mut rows = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let label = t.block.label_vi();
        rows.push(Row::Section {
            numeral: reform_interchange::export::to_roman(i + 1),
            title: format!(
                "{label}{}",
                match (t.average, t.change()) {
                    (Some(a), Some(c)) => format!(" — bình quân {a:.2} ({c:+.2} so với năm trước)"),
                    (Some(a), None) => format!(" — bình quân {a:.2}"),
                    _ => String::new(),
                }
            ),
        });
        for e in &t.ranked {
            rows.push(Row::Cells(vec![
                Cell::Number(e.rank as f64),
                Cell::Text(e.name.clone()),
                Cell::Number(e.total),
                e.band.clone().unwrap_or_default().into(),
                Cell::Empty,
            ]));
        }
        for (name, reason) in &t.not_evaluated {
            rows.push(Row::Cells(vec![
                Cell::Empty,
                Cell::Text(name.clone()),
                Cell::Empty,
                Cell::Text("Không đánh giá".into()),
                reason.clone().into(),
            ]));
        }
        let counts: Vec<String> = t
            .band_counts
            .iter()
            .map(|(band, n)| format!("{band}: {n}"))
            .collect();
        rows.push(Row::Cells(vec![
            Cell::Empty,
            Cell::Text(format!("Số đơn vị theo xếp loại — {}", counts.join("; "))),
        ]));
    }
    reform_interchange::Table {
        sheet: format!("PAR INDEX {year}"),
        title: vec![format!(
            "Kết quả Chỉ số cải cách hành chính (PAR INDEX) năm {year}{}",
            jurisdiction.map(|j| format!(" — {j}")).unwrap_or_default()
        )],
        header: [
            "Hạng",
            "Cơ quan, đơn vị",
            "Tổng điểm",
            "Xếp loại",
            "Ghi chú",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    }
}

/// Accountability by head of agency as one sheet.
pub fn accountability_table(
    rows: &[reform_projections::queries::HeadAccountability],
    today: chrono::NaiveDate,
) -> reform_interchange::Table {
    use reform_interchange::{Cell, Row};
    let day = |d: chrono::NaiveDate| Cell::Text(d.format("%-d/%-m/%Y").to_string());
    reform_interchange::Table {
        sheet: "Trách nhiệm người đứng đầu".into(),
        title: vec![format!(
            "Trách nhiệm người đứng đầu trong thực hiện nhiệm vụ cải cách hành chính, tính đến ngày {}",
            today.format("%-d/%-m/%Y")
        )],
        header: [
            "Cơ quan, đơn vị",
            "Người đứng đầu",
            "Chức vụ",
            "Từ ngày",
            "Đến ngày",
            "Nhiệm vụ đến hạn",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Đang quá hạn",
            "Quá hạn lâu nhất (ngày)",
            "Tỷ lệ đúng hạn (%)",
            "Xếp loại PAR INDEX",
            "Không xét thi đua, khen thưởng",
            "Lý do",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                Row::Cells(vec![
                    Cell::Text(r.agency_name.clone()),
                    Cell::Text(r.head.name.clone()),
                    r.head.title.clone().unwrap_or_default().into(),
                    day(r.head.from),
                    day(r.counted_to),
                    Cell::Number(r.tasks_due as f64),
                    Cell::Number(r.completed_in_time as f64),
                    Cell::Number(r.completed_late as f64),
                    Cell::Number(r.overdue_now as f64),
                    Cell::Number(r.worst_days_overdue as f64),
                    r.on_time_rate
                        .map_or(Cell::Empty, |rate| Cell::Number((rate * 1000.0).round() / 10.0)),
                    r.par_band.clone().unwrap_or_default().into(),
                    Cell::Text(if r.no_emulation_reward { "Có" } else { "Không" }.into()),
                    r.reasons.join("; ").into(),
                ])
            })
            .collect(),
    }
}
