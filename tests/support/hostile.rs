//! Files made by someone who means harm, small on the wire and enormous once read.

use rust_xlsxwriter::Workbook;

/// A 2-cell workbook whose cells are A1 and XFD1048576, the sheet's last cell: read as
/// a dense range it is 16384 × 1048576 cells, half a terabyte.
pub fn far_cell_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "STT").expect("A1");
    sheet
        .write_string(1_048_575, 16_383, "x")
        .expect("XFD1048576");
    let bytes = workbook.save_to_buffer().expect("the workbook");
    assert!(bytes.len() < 8 * 1024, "small on the wire: {}", bytes.len());
    bytes
}

/// A workbook of a few kilobytes whose shared strings inflate to about 35 MB: 1,100
/// distinct strings of 32,000 characters each, almost all one letter.
pub fn inflating_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let filler = "a".repeat(32_000 - 8);
    for i in 0..1_100_u32 {
        sheet
            .write_string(
                i / 10,
                u16::try_from(i % 10).expect("column"),
                format!("{filler}{i:08}"),
            )
            .expect("a cell");
    }
    let bytes = workbook.save_to_buffer().expect("the workbook");
    assert!(
        bytes.len() < 700 * 1024,
        "under the upload limit: {}",
        bytes.len()
    );
    bytes
}
