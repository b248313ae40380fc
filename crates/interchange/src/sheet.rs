//! Spreadsheets read into plain grids of cell text, whatever the file: csv (UTF-8, with
//! or without a byte-order mark, comma, semicolon or tab separated) or xlsx (every
//! worksheet, merged cells filled with their value, dates as d/m/yyyy).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// A file format the import and export speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, UTF-8.
    Csv,
    /// Excel 2007+ workbook.
    Xlsx,
}

impl Format {
    /// The format a file name's extension names, if any.
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            Some(Format::Xlsx)
        } else {
            None
        }
    }

    /// The format of these bytes: a zip archive is a workbook, anything else is csv.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
}

/// One worksheet (a csv file is one sheet) as rows of trimmed cell text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The worksheet's name ("" for csv).
    pub name: String,
    /// Rows from the first line of the sheet, so that `rows[i]` is row `i + 1` as the
    /// spreadsheet numbers it.
    pub rows: Vec<Vec<String>>,
}

/// The file could not be read as a spreadsheet at all.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// Not UTF-8 text.
    #[error("the csv file is not UTF-8 text (byte {offset}); save it as \"CSV UTF-8\"")]
    NotUtf8 {
        /// Where the first bad byte is.
        offset: usize,
    },
    /// The csv parser refused it.
    #[error("the csv file cannot be read: {0}")]
    Csv(String),
    /// The workbook cannot be opened.
    #[error("the xlsx file cannot be read: {0}")]
    Xlsx(String),
}

/// Reads every sheet of a file.
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Sheet>, SheetError> {
    match format {
        Format::Csv => read_csv(bytes).map(|s| vec![s]),
        Format::Xlsx => read_xlsx(bytes),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SheetError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Excel writes ';' where the decimal separator is ',' (Vietnamese settings do).
    // Title lines above the table may have no separator at all: look further down.
    let sample: Vec<&str> = text.lines().take(40).collect();
    let count = |d: u8| {
        sample
            .iter()
            .map(|l| l.bytes().filter(|b| *b == d).count())
            .sum::<usize>()
    };
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| count(*d))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv(e.to_string()))?;
        // The reader skips blank lines; keep them, so row numbers are line numbers.
        let line = record.position().map_or(rows.len() + 1, |p| {
            // The position is where the reader started: before any blank lines.
            let bytes = text.as_bytes();
            let mut start = usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                start += 1;
            }
            bytes[..start].iter().filter(|b| **b == b'\n').count() + 1
        });
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(record.iter().map(|c| c.trim().to_owned()).collect());
    }
    Ok(Sheet {
        name: String::new(),
        rows,
    })
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    let error = |e: calamine::XlsxError| SheetError::Xlsx(e.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(error)?;
    workbook.load_merged_regions().map_err(error)?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(error)?;
        let Some((end_row, end_col)) = range.end() else {
            sheets.push(Sheet {
                name,
                rows: Vec::new(),
            });
            continue;
        };
        // Rows and columns from A1, so row numbers read as the spreadsheet shows them.
        let mut rows = vec![vec![String::new(); end_col as usize + 1]; end_row as usize + 1];
        for (r, c, value) in range.used_cells() {
            let (row, col) = (
                r + range.start().map_or(0, |s| s.0 as usize),
                c + range.start().map_or(0, |s| s.1 as usize),
            );
            rows[row][col] = cell_text(value);
        }
        // A merged cell holds its value in its top-left cell only; the sheet shows it
        // across the region, and so do we.
        for (_, _, region) in workbook.merged_regions_by_sheet(&name) {
            let (top, left) = (region.start.0 as usize, region.start.1 as usize);
            let value = rows
                .get(top)
                .and_then(|r| r.get(left))
                .cloned()
                .unwrap_or_default();
            for row in rows.iter_mut().take(region.end.0 as usize + 1).skip(top) {
                for cell in row.iter_mut().take(region.end.1 as usize + 1).skip(left) {
                    cell.clone_from(&value);
                }
            }
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// A cell as the text a reader sees: whole numbers without ".0", dates as d/m/yyyy.
fn cell_text(value: &Data) -> String {
    match value {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|d| d.format("%-d/%-m/%Y").to_string())
            .unwrap_or_else(|| d.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_semicolons_reads_as_cells() {
        let text = "\u{feff}KẾ HOẠCH\n\nSTT;Nội dung nhiệm vụ;Cơ quan chủ trì\n1;\"Rà soát; đơn giản hóa\";Sở Tư pháp\n\n";
        let sheet = read(text.as_bytes(), Format::Csv).expect("csv").remove(0);
        assert_eq!(sheet.rows[0], vec!["KẾ HOẠCH"]);
        assert!(sheet.rows[1].is_empty(), "a blank line keeps its row");
        assert_eq!(
            sheet.rows[2],
            vec!["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì"]
        );
        assert_eq!(sheet.rows[3][1], "Rà soát; đơn giản hóa");
    }

    #[test]
    fn latin1_csv_is_refused_with_advice() {
        let error = read(b"STT,N\xf4i dung\n", Format::Csv).expect_err("not utf-8");
        assert!(error.to_string().contains("CSV UTF-8"), "{error}");
    }

    #[test]
    fn formats_follow_names_and_contents() {
        assert_eq!(Format::from_name("KH 15.XLSX"), Some(Format::Xlsx));
        assert_eq!(Format::from_name("ke-hoach.csv"), Some(Format::Csv));
        assert_eq!(Format::from_name("ke-hoach.pdf"), None);
        assert_eq!(Format::sniff(b"PK\x03\x04rest"), Format::Xlsx);
        assert_eq!(Format::sniff("STT,Nội dung".as_bytes()), Format::Csv);
    }
}
