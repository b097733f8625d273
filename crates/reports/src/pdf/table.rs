//! What a table is made of: columns (title, share of the width, alignment) and rows of cells;
//! [`super::layout::Document::table`] lays them out.

use crate::palette::Rgb;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Fraction of the text width; the fractions of a table sum to 1 (they are normalised).
    pub width: f32,
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<String>,
    /// Background; overrides the zebra stripe.
    pub fill: Option<Rgb>,
    pub bold: bool,
    /// A web address the row's last cell links to.
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Stripe every other row.
    pub zebra: bool,
}
