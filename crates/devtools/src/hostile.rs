//! Workbooks made by someone who means harm, small on the wire and enormous once read:
//! one copy for the tests that show each is refused and for `reform-dev bench hostile`,
//! which measures what reading them costs the server in memory.

use rust_xlsxwriter::{Workbook, XlsxError};

/// A 2-cell workbook whose cells are A1 and XFD1048576, the sheet's last cell: read as
/// a dense range it is 16384 × 1048576 cells, half a terabyte. A few kilobytes.
pub fn far_cell_workbook() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "STT")?;
    sheet.write_string(1_048_575, 16_383, "x")?;
    workbook.save_to_buffer()
}

/// A workbook of a few kilobytes whose shared strings inflate to about 35 MB: 1,100
/// distinct strings of 32,000 characters each, almost all one letter.
pub fn inflating_workbook() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let filler = "a".repeat(32_000 - 8);
    for i in 0..1_100_u16 {
        sheet.write_string(u32::from(i / 10), i % 10, format!("{filler}{i:08}"))?;
    }
    workbook.save_to_buffer()
}

/// A workbook as wide and as long as a task table may be, every cell filled: `rows`
/// rows of 50 numbered cells (5,000 rows is the limit, 250,000 cells).
pub fn many_cells_workbook(rows: u32) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for row in 0..rows {
        for column in 0..50_u16 {
            sheet.write_number(row, column, f64::from(column))?;
        }
    }
    workbook.save_to_buffer()
}
