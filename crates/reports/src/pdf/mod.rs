//! PDF rendering: a small layout engine of our own over printpdf's low-level operations
//! ([`layout`], with [`fonts`] and the drawing primitives of [`chart_ops`]), the file written
//! and finished with lopdf ([`assemble`]), and the report composed with them section by
//! section.
//!
//! Text in scripts DejaVu does not cover is drawn in a fallback face, right-to-left runs are
//! reordered and shaped, and emoji are named ([`text`], [`script`] and `shaping`).
//!
//! Each module uses only modules that come after it in this order: `report`, `sections`,
//! `layout`, `save`, `table`, `assemble`, `chart_ops`, `error`, `text`, `script`, `shaping`,
//! `fonts`, `page`.

pub mod assemble;
pub mod chart_ops;
mod error;
pub mod fonts;
pub mod layout;
mod page;
mod report;
mod save;
pub mod script;
mod sections;
mod shaping;
mod table;
pub mod text;

pub use error::PdfError;
pub use report::{render, render_with};
