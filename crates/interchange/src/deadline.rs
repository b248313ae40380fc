//! Deadlines as Vietnamese plans write them, read as the last day they allow.
//!
//! "30/6/2024", "Trước ngày 15/3/2024" → that day; "Tháng 6/2024" → 30/6/2024;
//! "Quý II/2024" → 30/6/2024; "6 tháng đầu năm" → 30/6 of the plan's year; "Năm 2024"
//! → 31/12/2024; "Giai đoạn 2021–2025" → 31/12/2025; "Thường xuyên", "Hằng năm" →
//! ongoing work with no deadline.

use std::sync::LazyLock;

use chrono::NaiveDate;
use reform_domain::{fold_for_search, Deadline};
use regex::Regex;

/// Words in front of a date that do not change it.
const LEAD_INS: [&str; 9] = [
    "cham nhat la ngay",
    "cham nhat ngay",
    "cham nhat",
    "truoc ngay",
    "truoc",
    "trong",
    "han",
    "ngay",
    "hoan thanh",
];

/// Recurring or continuous work: no deadline.
const ONGOING: [&str; 6] = [
    "thuong xuyen",
    "lien tuc",
    "hang nam",
    "hang quy",
    "hang thang",
    "dinh ky",
];

/// Why a deadline cell was not understood.
pub const ACCEPTED_FORMS: &str = "write a date (30/6/2024), a month (Tháng 6/2024), a quarter (Quý II/2024), \"6 tháng đầu năm\", a year (Năm 2024) or \"Thường xuyên\"";

static DAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?$"));
static DAY_WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?$"));
static MONTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:thang )?(\d{1,2})(?:\s*[/.-]\s*| nam )(\d{4})$"));
static MONTH_ONLY: LazyLock<Regex> = LazyLock::new(|| re(r"^thang (\d{1,2})$"));
static QUARTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^quy (iv|iii|ii|i|[1-4])(?:(?:\s*[/.-]\s*| nam )(\d{4}))?$"));
static PART_OF_YEAR: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(3|6|9|ba|sau|chin) thang (dau|cuoi) nam(?:\s*[/.-]?\s*(\d{4}))?$"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:(?:cuoi )?nam )?(\d{4})$"));
static SPAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:giai doan )?(?:nam )?(\d{4})\s*[-–—]\s*(?:nam )?(\d{4})$"));

fn re(pattern: &str) -> Regex {
    // The patterns are constants checked by the tests below.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad deadline pattern {pattern}: {e}"))
}

/// Reads a deadline cell. `plan_year` completes forms without a year ("6 tháng đầu
/// năm", "Quý II", "30/6").
pub fn parse(cell: &str, plan_year: i32) -> Result<Deadline, String> {
    let folded = fold_for_search(cell)
        .trim_end_matches(['.', ';', ','])
        .replace(" - ", "-")
        .to_owned();
    if ONGOING.iter().any(|w| folded.contains(w)) {
        return Ok(Deadline::Ongoing);
    }
    let mut text = folded.as_str();
    loop {
        let before = text;
        for lead in LEAD_INS {
            if let Some(rest) = text.strip_prefix(lead) {
                text = rest.trim_start_matches([' ', ':']);
            }
        }
        if text == before {
            break;
        }
    }
    let year = |m: Option<regex::Match<'_>>| m.map_or(Ok(plan_year), |m| number(m.as_str()));
    let date = if let Some(c) = DAY.captures(text).or_else(|| DAY_WORDS.captures(text)) {
        day(year(c.get(3))?, number(&c[2])?, number(&c[1])?)
    } else if let Some(c) = MONTH.captures(text) {
        end_of_month(number(&c[2])?, number(&c[1])?)
    } else if let Some(c) = MONTH_ONLY.captures(text) {
        end_of_month(plan_year, number(&c[1])?)
    } else if let Some(c) = QUARTER.captures(text) {
        let quarter: u32 = match &c[1] {
            "i" | "1" => 1,
            "ii" | "2" => 2,
            "iii" | "3" => 3,
            _ => 4,
        };
        end_of_month(year(c.get(2))?, quarter * 3)
    } else if let Some(c) = PART_OF_YEAR.captures(text) {
        let months: u32 = match &c[1] {
            "3" | "ba" => 3,
            "6" | "sau" => 6,
            _ => 9,
        };
        let month = if &c[2] == "dau" { months } else { 12 };
        end_of_month(year(c.get(3))?, month)
    } else if let Some(c) = YEAR.captures(text) {
        end_of_month(number(&c[1])?, 12)
    } else if let Some(c) = SPAN.captures(text) {
        end_of_month(number(&c[2])?, 12)
    } else {
        None
    };
    match date {
        Some(d) if (2000..=2100).contains(&chrono::Datelike::year(&d)) => Ok(Deadline::On(d)),
        Some(d) => Err(format!("{d} is outside the years a plan covers")),
        None => Err(format!(
            "\"{}\" is not a deadline: {ACCEPTED_FORMS}",
            cell.trim()
        )),
    }
}

fn number<T: std::str::FromStr>(digits: &str) -> Result<T, String> {
    digits
        .parse()
        .map_err(|_| format!("{digits} is not a number"))
}

fn day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .filter(|_| (1..=12).contains(&month))
        .and_then(|d| d.pred_opt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(y: i32, m: u32, d: u32) -> Deadline {
        Deadline::On(NaiveDate::from_ymd_opt(y, m, d).expect("date"))
    }

    #[test]
    fn every_written_form_reads_as_its_last_day() {
        let cases = [
            ("30/6/2024", on(2024, 6, 30)),
            ("30-06-2024", on(2024, 6, 30)),
            ("05.3.2024", on(2024, 3, 5)),
            ("Trước ngày 15/3/2024", on(2024, 3, 15)),
            ("Chậm nhất ngày 20/11/2024", on(2024, 11, 20)),
            ("ngày 15 tháng 9 năm 2024", on(2024, 9, 15)),
            ("30/6", on(2024, 6, 30)),
            ("Tháng 6/2024", on(2024, 6, 30)),
            ("tháng 2 năm 2024", on(2024, 2, 29)),
            ("2/2023", on(2023, 2, 28)),
            ("Tháng 12", on(2024, 12, 31)),
            ("Quý II/2024", on(2024, 6, 30)),
            ("Quý IV năm 2025", on(2025, 12, 31)),
            ("quý 1/2024", on(2024, 3, 31)),
            ("Quý III", on(2024, 9, 30)),
            ("6 tháng đầu năm", on(2024, 6, 30)),
            ("Sáu tháng đầu năm 2025", on(2025, 6, 30)),
            ("6 tháng cuối năm", on(2024, 12, 31)),
            ("9 tháng đầu năm 2024", on(2024, 9, 30)),
            ("Năm 2024", on(2024, 12, 31)),
            ("2025", on(2025, 12, 31)),
            ("Cuối năm 2024.", on(2024, 12, 31)),
            ("Giai đoạn 2021 - 2025", on(2025, 12, 31)),
            ("Thường xuyên", Deadline::Ongoing),
            ("Thường xuyên, liên tục", Deadline::Ongoing),
            ("Hằng năm", Deadline::Ongoing),
        ];
        for (cell, expected) in cases {
            assert_eq!(parse(cell, 2024), Ok(expected), "{cell}");
        }
    }

    #[test]
    fn what_is_not_a_deadline_says_which_forms_are() {
        for cell in [
            "",
            "Sớm",
            "31/2/2024",
            "Quý V/2024",
            "Tháng 13/2024",
            "1/1/1990",
        ] {
            let error = parse(cell, 2024).expect_err(cell);
            assert!(
                error.contains("Quý II/2024") || error.contains("outside"),
                "{cell}: {error}"
            );
        }
    }
}
