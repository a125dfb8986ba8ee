//! Printed paperwork as PDF: CMN forms, delivery tickets and CMS-1500 claims, on US letter paper.
//!
//! [`Sheet`] is the small layout toolkit the forms share: positions in millimetres from the
//! top-left corner (as a ruler reads a printed page), text in the embedded DejaVu Sans
//! (subset into each PDF), measured so that long text wraps inside its box, ruled lines
//! and boxes, and PNG images (a patient's signature). The forms themselves live in
//! [`cmn`] and know nothing of PDF operators.

pub mod cmn;
pub mod cms1500;
pub mod ticket;

pub use cms1500::{cms1500, Cms1500Variant};

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    RawImage, Rgb, TextItem, XObjectTransform,
};

/// US letter: 8.5 × 11 inches.
pub const PAGE_WIDTH_MM: f32 = 215.9;
pub const PAGE_HEIGHT_MM: f32 = 279.4;
/// The margin every form keeps on all sides.
pub const MARGIN_MM: f32 = 12.7;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the signature image is not a readable PNG: {0}")]
    Image(String),
    #[error("{0}")]
    Data(String),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

crate::db::sqlite_errors!(PrintError);

/// Regular or bold type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// A PDF being laid out, page by page.
pub struct Sheet {
    doc: PdfDocument,
    regular: (ParsedFont, FontId),
    bold: (ParsedFont, FontId),
    pages: Vec<PdfPage>,
    ops: Vec<Op>,
}

impl Sheet {
    /// Starts a document titled `title` with one empty page.
    pub fn new(title: &str) -> Result<Sheet, PrintError> {
        let mut doc = PdfDocument::new(title);
        let mut load = |bytes: &[u8]| -> Result<(ParsedFont, FontId), PrintError> {
            let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(PrintError::Font)?;
            let id = doc.add_font(&font);
            Ok((font, id))
        };
        let regular = load(REGULAR_TTF)?;
        let bold = load(BOLD_TTF)?;
        Ok(Sheet { doc, regular, bold, pages: Vec::new(), ops: Vec::new() })
    }

    /// Ends the current page and starts another.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(PdfPage::new(Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM), ops));
    }

    /// The finished PDF.
    pub fn finish(mut self) -> Vec<u8> {
        self.new_page();
        let mut warnings = Vec::new();
        self.doc.with_pages(self.pages).save(&PdfSaveOptions::default(), &mut warnings)
    }

    fn font(&self, weight: Weight) -> &(ParsedFont, FontId) {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// How wide `text` sets at `size` points, in millimetres.
    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let font = &self.font(weight).0;
        let units = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let advance: u32 = text
            .chars()
            .map(|c| font.lookup_glyph_index(c as u32).map_or(0, |g| u32::from(font.get_horizontal_advance(g))))
            .sum();
        advance as f32 / units * size * 25.4 / 72.0
    }

    /// Writes one line of text with its baseline at (`x`, `y`) mm from the top-left corner.
    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, text: &str) {
        if text.is_empty() {
            return;
        }
        let font = self.font(weight).1.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: black() },
            Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) },
            Op::SetTextCursor { pos: point(x, y) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// Writes `text` right-aligned so that it ends at `x_right`.
    pub fn text_right(&mut self, x_right: f32, y: f32, size: f32, weight: Weight, text: &str) {
        let w = self.width(text, size, weight);
        self.text(x_right - w, y, size, weight, text);
    }

    /// Breaks `text` into lines no wider than `width` mm at `size` points (words longer than
    /// a line are cut).
    pub fn wrap(&self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if self.width(&candidate, size, weight) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, weight) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    /// Writes `text` wrapped to `width` mm from baseline `y`; returns the baseline below the
    /// last line.
    pub fn paragraph(&mut self, x: f32, y: f32, width: f32, size: f32, weight: Weight, text: &str) -> f32 {
        let leading = size * 0.3528 * 1.3;
        let mut y = y;
        for line in self.wrap(text, width, size, weight) {
            self.text(x, y, size, weight, &line);
            y += leading;
        }
        y
    }

    /// A straight line from (`x1`, `y1`) to (`x2`, `y2`), `thickness` points wide.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: black() },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint { p: point(x1, y1), bezier: false },
                        LinePoint { p: point(x2, y2), bezier: false },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    /// The outline of a box whose top-left corner is (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, thickness: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: black() },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                        .into_iter()
                        .map(|(px, py)| LinePoint { p: point(px, py), bezier: false })
                        .collect(),
                    is_closed: true,
                },
            },
        ]);
    }

    /// A section title bar: a ruled line with the title above it.
    pub fn section(&mut self, y: f32, title: &str) -> f32 {
        self.text(MARGIN_MM, y, 10.0, Weight::Bold, title);
        self.line(MARGIN_MM, y + 1.5, PAGE_WIDTH_MM - MARGIN_MM, y + 1.5, 1.0);
        y + 6.0
    }

    /// A small label with its value beside it; returns the baseline for the next row.
    pub fn field(&mut self, x: f32, y: f32, label: &str, value: &str) {
        self.text(x, y, 7.0, Weight::Regular, label);
        let label_width = self.width(label, 7.0, Weight::Regular);
        self.text(x + label_width + 1.5, y, 9.0, Weight::Bold, value);
    }

    /// Places the PNG image `png` with its top-left corner at (`x`, `y`), scaled to fit
    /// inside `max_w` × `max_h` mm (keeping its proportions).
    pub fn png(&mut self, png: &[u8], x: f32, y: f32, max_w: f32, max_h: f32) -> Result<(), PrintError> {
        let image = RawImage::decode_from_bytes(png, &mut Vec::new()).map_err(PrintError::Image)?;
        let (px_w, px_h) = (image.width.max(1) as f32, image.height.max(1) as f32);
        let scale_mm_per_px = (max_w / px_w).min(max_h / px_h);
        let h = px_h * scale_mm_per_px;
        let id = self.doc.add_image(&image);
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Mm(x).into_pt()),
                translate_y: Some(Mm(PAGE_HEIGHT_MM - y - h).into_pt()),
                dpi: Some(25.4 / scale_mm_per_px),
                ..XObjectTransform::default()
            },
        });
        Ok(())
    }
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point::new(Mm(x), Mm(PAGE_HEIGHT_MM - y_from_top))
}

fn black() -> Color {
    Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_inside_its_width() {
        let sheet = Sheet::new("test").unwrap();
        let text = "Oxygen concentrator, single delivery port, capable of delivering 85 percent or greater oxygen concentration";
        let lines = sheet.wrap(text, 60.0, 9.0, Weight::Regular);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| sheet.width(l, 9.0, Weight::Regular) <= 60.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert!(sheet.width("W", 10.0, Weight::Bold) > sheet.width("i", 10.0, Weight::Bold));
    }
}
