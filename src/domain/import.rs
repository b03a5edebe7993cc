//! Bulk product import from CSV: the file is checked as a whole (UTF-8, required columns) and
//! then row by row, with every problem reported by line.

use super::staff::{ProductDraft, ProductForm};

/// The columns of the template. `deskripsi` is the Indonesian description, `deskripsi_en` the
/// optional English one.
pub const COLUMNS: [&str; 10] = [
    "nama",
    "kategori",
    "deskripsi",
    "harga",
    "stok",
    "berat_gram",
    "panjang_cm",
    "lebar_cm",
    "tinggi_cm",
    "deskripsi_en",
];
/// Columns that must be present (the sizes and the English description may be left out).
const REQUIRED: [&str; 6] = [
    "nama",
    "kategori",
    "deskripsi",
    "harga",
    "stok",
    "berat_gram",
];
pub const MAX_ROWS: usize = 1000;

pub fn template() -> String {
    format!(
        "{}\nKeripik Singkong Balado 250 g,kuliner,Keripik singkong pedas manis buatan bengkel kerja unit.,18000,40,250,20,15,5,Sweet and spicy cassava chips made in the unit's workshop.\n",
        COLUMNS.join(",")
    )
}

/// A problem with the whole file; nothing can be read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    NotUtf8,
    MissingColumns(Vec<String>),
    TooManyRows,
    Unreadable,
}

impl FileProblem {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "import-error-empty",
            Self::NotUtf8 => "import-error-encoding",
            Self::MissingColumns(_) => "import-error-columns",
            Self::TooManyRows => "import-error-too-many",
            Self::Unreadable => "import-error-unreadable",
        }
    }
}

/// A row with problems: its line in the file and the message keys of its fields.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowProblem {
    pub line: u64,
    pub name: String,
    pub messages: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportCheck {
    pub valid: Vec<ProductDraft>,
    pub problems: Vec<RowProblem>,
}

/// Opens an uploaded CSV file the way every import reads one: UTF-8 (a byte-order mark is
/// skipped), separated by commas or, as spreadsheets in Indonesia often save, semicolons, with
/// its columns named in the first line in any order and case. Gives the text, a reader
/// positioned after the header line, and the header names lowercased; refuses an empty file,
/// another encoding, and a header without every column of `required`.
pub fn open_csv<'a>(bytes: &'a [u8], required: &[&str]) -> Result<OpenedCsv<'a>, FileProblem> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileProblem::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| FileProblem::Unreadable)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let missing: Vec<String> = required
        .iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .map(|c| c.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(FileProblem::MissingColumns(missing));
    }
    Ok(OpenedCsv {
        text,
        reader,
        headers,
    })
}

/// An uploaded CSV file opened by [`open_csv`].
pub struct OpenedCsv<'a> {
    /// The file as text (without its byte-order mark).
    pub text: &'a str,
    /// Positioned after the header line.
    pub reader: csv::Reader<&'a [u8]>,
    /// The header's names, trimmed and lowercased.
    pub headers: Vec<String>,
}

/// Reads the CSV. `categories` are (id, slug, Indonesian name): a row names its category by
/// either, in any case.
pub fn check_csv(
    bytes: &[u8],
    categories: &[(i32, String, String)],
) -> Result<ImportCheck, FileProblem> {
    let OpenedCsv {
        mut reader,
        headers,
        ..
    } = open_csv(bytes, &REQUIRED)?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let category_ids: Vec<i32> = categories.iter().map(|c| c.0).collect();
    let mut check = ImportCheck::default();
    for (i, record) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        let line = (i + 2) as u64;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                check.problems.push(RowProblem {
                    line,
                    name: String::new(),
                    messages: vec!["import-error-row-unreadable"],
                });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_string()
        };
        let category = field("kategori").to_lowercase();
        let category_id = categories
            .iter()
            .find(|(_, slug, name)| *slug == category || name.to_lowercase() == category)
            .map(|(id, _, _)| id.to_string())
            .unwrap_or_default();
        let form = ProductForm {
            name: field("nama"),
            description: field("deskripsi"),
            description_en: field("deskripsi_en"),
            category_id,
            price: field("harga"),
            stock: field("stok"),
            weight_g: field("berat_gram"),
            length_cm: field("panjang_cm"),
            width_cm: field("lebar_cm"),
            height_cm: field("tinggi_cm"),
        };
        match form.validate(&category_ids) {
            Ok(draft) => check.valid.push(draft),
            Err(errors) => check.problems.push(RowProblem {
                line,
                name: form.name.chars().take(80).collect(),
                messages: errors.values().copied().collect(),
            }),
        }
    }
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories() -> Vec<(i32, String, String)> {
        vec![
            (1, "kuliner".into(), "Kuliner".into()),
            (2, "seni".into(), "Seni".into()),
        ]
    }

    #[test]
    fn the_template_imports_cleanly() {
        let check = check_csv(template().as_bytes(), &categories()).unwrap();
        assert_eq!(check.valid.len(), 1);
        assert!(check.problems.is_empty());
        assert!(check.valid[0].description_en.starts_with("Sweet and spicy"));
    }

    #[test]
    fn the_english_description_column_is_read_when_present_and_empty_otherwise() {
        let csv = "nama;kategori;deskripsi;harga;stok;berat_gram;deskripsi_en\n\
                   Kopi Gayo;Kuliner;Kopi arabika sangrai medium.;65.000;10;250;Medium roast arabica coffee.\n\
                   Kopi Toraja;Kuliner;Kopi arabika sangrai gelap.;70.000;10;250;\n";
        let check = check_csv(csv.as_bytes(), &categories()).unwrap();
        assert!(check.problems.is_empty(), "{:?}", check.problems);
        assert_eq!(
            check.valid[0].description_en,
            "Medium roast arabica coffee."
        );
        assert_eq!(check.valid[0].description, "Kopi arabika sangrai medium.");
        assert_eq!(check.valid[1].description_en, "");
        let without = "nama;kategori;deskripsi;harga;stok;berat_gram\n\
                       Kopi Gayo;Kuliner;Kopi arabika sangrai medium.;65.000;10;250\n";
        let check = check_csv(without.as_bytes(), &categories()).unwrap();
        assert_eq!(check.valid[0].description_en, "");
    }

    #[test]
    fn files_that_cannot_be_read_are_refused_as_a_whole() {
        assert_eq!(check_csv(b"", &categories()), Err(FileProblem::Empty));
        assert_eq!(
            check_csv(b"nama,harga\n\xff\xfe bad", &categories()),
            Err(FileProblem::NotUtf8)
        );
        match check_csv(b"nama,harga\nKopi,1000\n", &categories()) {
            Err(FileProblem::MissingColumns(m)) => {
                assert!(m.contains(&"kategori".to_string()) && m.contains(&"stok".to_string()))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rows_are_checked_one_by_one_and_reported_by_line() {
        let csv = "nama;kategori;deskripsi;harga;stok;berat_gram\n\
                   Kopi Gayo;Kuliner;Kopi arabika sangrai medium.;65.000;10;250\n\
                   X;tidak-ada;pendek;gratis;-1;0\n\
                   Lukisan Sawah;seni;Lukisan cat minyak di atas kanvas.;750000;1;2000\n";
        let check = check_csv(csv.as_bytes(), &categories()).unwrap();
        assert_eq!(check.valid.len(), 2);
        assert_eq!(check.problems.len(), 1);
        assert_eq!(check.problems[0].line, 3);
        assert!(check.problems[0].messages.contains(&"form-error-price"));
        assert!(check.problems[0].messages.contains(&"form-error-category"));
    }
}
