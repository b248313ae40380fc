//! Spreadsheets read into plain grids of cell text, whatever the file: csv (UTF-8, with
//! or without a byte-order mark, comma, semicolon or tab separated) or xlsx (every
//! worksheet, merged cells filled with their value, dates as d/m/yyyy).
//!
//! Files come from people who may mean harm, so every size is bounded before it is
//! allocated (see [`limits`]): the workbook's zip entries are inflated through a
//! counter before the spreadsheet library sees them, cells are streamed one at a time
//! (never a dense range sized by what the file declares), and a table beyond a
//! plausible plan's size is refused with the limit named.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

/// The bounds on a file read as a task table. A province's plan has tens to a few
/// hundred rows and about ten columns; these leave room for any real one.
pub mod limits {
    /// The largest file accepted, in bytes.
    pub const FILE_BYTES: usize = 700 * 1024;
    /// Rows of a sheet (counting from row 1, as the spreadsheet numbers them).
    pub const ROWS: usize = 5_000;
    /// Columns of a sheet (A to AX).
    pub const COLUMNS: usize = 50;
    /// Cells read from a workbook, empty or not, over all its sheets: bounds the work
    /// a file of many tiny cells can ask for.
    pub const CELLS: usize = 500_000;
    /// A workbook's zip entries added up, inflated.
    pub const UNCOMPRESSED_BYTES: u64 = 32 * 1024 * 1024;
    /// Entries in a workbook's zip archive.
    pub const ZIP_ENTRIES: usize = 1_000;
    /// Merged regions over all sheets.
    pub const MERGED_REGIONS: usize = 10_000;
}

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
    /// The file is beyond one of the [`limits`]; nothing past the limit was read.
    #[error("the file is too large: {what}; the most accepted is {limit}")]
    TooLarge {
        /// What was too large, as the user can find it ("a cell at XFD1048576").
        what: String,
        /// The limit, in words ("5000 rows × 50 columns").
        limit: String,
    },
}

fn too_large(what: impl Into<String>, limit: impl Into<String>) -> SheetError {
    SheetError::TooLarge {
        what: what.into(),
        limit: limit.into(),
    }
}

fn table_limit() -> String {
    format!("{} rows × {} columns", limits::ROWS, limits::COLUMNS)
}

/// A cell's name as the spreadsheet shows it, from 0-based row and column: (0, 0) is A1.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// Reads every sheet of a file, within the [`limits`].
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Sheet>, SheetError> {
    if bytes.len() > limits::FILE_BYTES {
        return Err(too_large(
            format!("{} bytes", bytes.len()),
            format!("{} bytes", limits::FILE_BYTES),
        ));
    }
    match format {
        Format::Csv => read_csv(bytes).map(|s| vec![s]),
        Format::Xlsx => read_xlsx(bytes),
    }
}

/// A csv cell's text: trimmed, and without the apostrophe an export puts before text
/// that would otherwise open as a formula.
fn csv_cell(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(text) if text.starts_with(crate::export::FORMULA_STARTS) => text.trim().to_owned(),
        _ => cell.trim().to_owned(),
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
    // Lines are counted as the reader moves on, never from the start again.
    let bytes = text.as_bytes();
    let (mut counted_to, mut lines_before) = (0, 0);
    let mut cells = 0;
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv(e.to_string()))?;
        // The reader skips blank lines; keep them, so row numbers are line numbers.
        let line = record.position().map_or(rows.len() + 1, |p| {
            // The position is where the reader started: before any blank lines.
            let mut start = usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                start += 1;
            }
            if start > counted_to {
                lines_before += bytes[counted_to..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted_to = start;
            }
            lines_before + 1
        });
        cells += record.len();
        if cells > limits::CELLS {
            return Err(too_large(
                format!("more than {} cells", limits::CELLS),
                format!("{} cells", limits::CELLS),
            ));
        }
        let mut fields: Vec<String> = record.iter().map(csv_cell).collect();
        // Spreadsheets export trailing empty columns and rows; only content counts.
        while fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        if fields.is_empty() {
            continue;
        }
        if line > limits::ROWS || fields.len() > limits::COLUMNS {
            let col = u32::try_from(fields.len() - 1).unwrap_or(u32::MAX);
            let row = u32::try_from(line - 1).unwrap_or(u32::MAX);
            let at = if line > limits::ROWS {
                format!("line {line} has content")
            } else {
                format!("line {line} has content in column {}", cell_name(row, col))
            };
            return Err(too_large(at, table_limit()));
        }
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(fields);
    }
    Ok(Sheet {
        name: String::new(),
        rows,
    })
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    check_archive(bytes)?;
    let error = |e: calamine::XlsxError| SheetError::Xlsx(e.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(error)?;
    workbook.load_merged_regions().map_err(error)?;
    if workbook.merged_regions().len() > limits::MERGED_REGIONS {
        return Err(too_large(
            format!("{} merged regions", workbook.merged_regions().len()),
            format!("{} merged regions", limits::MERGED_REGIONS),
        ));
    }
    let mut sheets = Vec::new();
    let mut cells_read = 0;
    for name in workbook.sheet_names() {
        let mut rows = read_cells(&mut workbook, &name, &mut cells_read)?;
        // A merged cell holds its value in its top-left cell only; the sheet shows it
        // across the region, and so do we, within the cells the sheet has.
        for (_, _, region) in workbook.merged_regions_by_sheet(&name) {
            let (top, left) = (region.start.0 as usize, region.start.1 as usize);
            let value = rows
                .get(top)
                .and_then(|r| r.get(left))
                .cloned()
                .unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            let bottom = (region.end.0 as usize).min(limits::ROWS - 1);
            let right = (region.end.1 as usize).min(limits::COLUMNS - 1);
            if rows.len() <= bottom {
                rows.resize(bottom + 1, Vec::new());
            }
            for row in rows.iter_mut().take(bottom + 1).skip(top) {
                if row.len() <= right {
                    row.resize(right + 1, String::new());
                }
                for cell in row.iter_mut().take(right + 1).skip(left) {
                    cell.clone_from(&value);
                }
            }
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// Inflates every entry of the workbook's zip archive through a counter, before the
/// spreadsheet library reads any: the sizes an archive declares are the attacker's
/// word, the bytes counted are not.
fn check_archive(bytes: &[u8]) -> Result<(), SheetError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    if archive.len() > limits::ZIP_ENTRIES {
        return Err(too_large(
            format!("{} parts in the workbook", archive.len()),
            format!("{} parts", limits::ZIP_ENTRIES),
        ));
    }
    let mut left = limits::UNCOMPRESSED_BYTES;
    let mut sink = [0_u8; 16 * 1024];
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| SheetError::Xlsx(e.to_string()))?;
        let mut bounded = entry.take(left + 1);
        loop {
            let n = bounded
                .read(&mut sink)
                .map_err(|e| SheetError::Xlsx(e.to_string()))?;
            if n == 0 {
                break;
            }
            let n = n as u64;
            if n > left {
                return Err(too_large(
                    format!(
                        "the workbook inflates to more than {} MiB",
                        limits::UNCOMPRESSED_BYTES / (1024 * 1024)
                    ),
                    format!("{} MiB", limits::UNCOMPRESSED_BYTES / (1024 * 1024)),
                ));
            }
            left -= n;
        }
    }
    Ok(())
}

/// One worksheet's cells, streamed: empty cells are skipped, a cell with content
/// beyond the table's bounds or a workbook of too many cells stops the read.
fn read_cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    cells_read: &mut usize,
) -> Result<Vec<Vec<String>>, SheetError> {
    let error = |e: calamine::XlsxError| SheetError::Xlsx(e.to_string());
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or dialog sheet holds no table.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(error(e)),
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(error)? {
        *cells_read += 1;
        if *cells_read > limits::CELLS {
            return Err(too_large(
                format!("more than {} cells", limits::CELLS),
                format!("{} cells", limits::CELLS),
            ));
        }
        let (row, col) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (r, c) = (row as usize, col as usize);
        if r >= limits::ROWS || c >= limits::COLUMNS {
            return Err(too_large(
                format!(
                    "sheet \"{name}\" has content in cell {}",
                    cell_name(row, col)
                ),
                table_limit(),
            ));
        }
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        let cells = &mut rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = text;
    }
    Ok(rows)
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

    fn refused(bytes: &[u8], format: Format) -> String {
        match read(bytes, format) {
            Err(e @ SheetError::TooLarge { .. }) => e.to_string(),
            other => panic!("expected too large, got {other:?}"),
        }
    }

    #[test]
    fn cells_are_named_as_the_spreadsheet_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 25), "Z5");
        assert_eq!(cell_name(9, 26), "AA10");
        assert_eq!(cell_name(0, 49), "AX1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn csv_beyond_the_table_bounds_is_refused_naming_the_limit() {
        let far_down = format!("STT,Nội dung\n{}1,x\n", "\n".repeat(limits::ROWS));
        let message = refused(far_down.as_bytes(), Format::Csv);
        assert!(message.contains("line 5002 has content"), "{message}");
        assert!(message.contains("5000 rows × 50 columns"), "{message}");

        let wide = format!("STT{}x\n", ",".repeat(limits::COLUMNS));
        let message = refused(wide.as_bytes(), Format::Csv);
        assert!(message.contains("column AY1"), "{message}");
    }

    #[test]
    fn csv_trailing_empty_cells_and_lines_are_not_content() {
        let text = format!(
            "STT,Nội dung{}\n1,x{}\n{}",
            ",".repeat(200),
            ",".repeat(200),
            ",,,\n".repeat(limits::ROWS + 10)
        );
        let sheet = read(text.as_bytes(), Format::Csv)
            .expect("within bounds")
            .remove(0);
        assert_eq!(sheet.rows, vec![vec!["STT", "Nội dung"], vec!["1", "x"]]);
    }

    #[test]
    fn csv_of_too_many_cells_is_refused_before_the_end() {
        let text = format!("{}\n", ",".repeat(199)).repeat(limits::CELLS / 200 + 1);
        let message = refused(text.as_bytes(), Format::Csv);
        assert!(message.contains("more than 500000 cells"), "{message}");
    }

    #[test]
    fn a_file_past_the_size_limit_is_refused_unread() {
        let message = refused(&vec![b'x'; limits::FILE_BYTES + 1], Format::Xlsx);
        assert!(message.contains("716801 bytes"), "{message}");
    }

    #[test]
    fn a_workbook_cell_beyond_the_bounds_is_refused_without_building_a_range() {
        let bytes = reform_devtools::hostile::far_cell_workbook().expect("workbook");
        let message = refused(&bytes, Format::Xlsx);
        assert!(message.contains("cell XFD1048576"), "{message}");

        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "STT").expect("A1");
        sheet.write_string(5_000, 0, "1").expect("A5001");
        let bytes = workbook.save_to_buffer().expect("workbook");
        let message = refused(&bytes, Format::Xlsx);
        assert!(message.contains("cell A5001"), "{message}");
    }

    #[test]
    fn a_workbook_of_formatted_blank_cells_past_the_bounds_reads_its_content() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        sheet.write_string(0, 0, "STT").expect("A1");
        sheet
            .write_blank(9_000, 200, &bold)
            .expect("a formatted blank cell");
        sheet
            .merge_range(2, 0, 2, 300, "I. CẢI CÁCH THỂ CHẾ", &bold)
            .expect("a merged section row");
        let bytes = workbook.save_to_buffer().expect("workbook");
        let sheets = read(&bytes, Format::Xlsx).expect("blank cells are not content");
        assert_eq!(sheets[0].rows[0], vec!["STT"]);
        assert_eq!(
            sheets[0].rows[2].len(),
            limits::COLUMNS,
            "the merge is clipped"
        );
        assert_eq!(sheets[0].rows[2][49], "I. CẢI CÁCH THỂ CHẾ");
    }

    #[test]
    fn a_workbook_inflating_past_the_limit_is_refused() {
        let bytes = reform_devtools::hostile::inflating_workbook().expect("workbook");
        assert!(bytes.len() < limits::FILE_BYTES);
        let message = refused(&bytes, Format::Xlsx);
        assert!(
            message.contains("inflates to more than 32 MiB"),
            "{message}"
        );
    }

    /// A table as large as allowed, every cell filled, is read whole.
    #[test]
    fn a_workbook_as_large_as_allowed_is_read_whole() {
        let bytes =
            reform_devtools::hostile::many_cells_workbook(limits::ROWS as u32).expect("workbook");
        assert!(bytes.len() <= limits::FILE_BYTES, "{} bytes", bytes.len());
        let sheets = read(&bytes, Format::Xlsx).expect("within every bound");
        assert_eq!(sheets[0].rows.len(), limits::ROWS);
        assert!(sheets[0].rows.iter().all(|r| r.len() == limits::COLUMNS));
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
