//! Text folded to lower case without diacritics, so that "cải cách" is found from
//! "cai cach" and "Sở Nội Vụ" matches "so noi vu": search, and matching names typed
//! in spreadsheets to the agencies on record.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case, Vietnamese diacritics removed (đ → d), whitespace collapsed.
pub fn fold_for_search(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::fold_for_search;

    #[test]
    fn vietnamese_folds_to_plain_letters() {
        assert_eq!(
            fold_for_search("Cải cách  THỦ TỤC hành chính"),
            "cai cach thu tuc hanh chinh"
        );
        assert_eq!(fold_for_search("Đơn giản hóa"), "don gian hoa");
        assert_eq!(fold_for_search("cai cach"), "cai cach");
    }
}
