//! PDF rendering: a small layout engine of our own over printpdf's low-level operations
//! ([`layout`], with [`fonts`] and the drawing primitives of [`chart_ops`]), the file written
//! and finished with lopdf ([`assemble`]), and the report composed with them section by
//! section.
//!
//! Each module uses only modules that come after it in this order: `report`, `sections`,
//! `layout`, `save`, `table`, `assemble`, `chart_ops`, `error`, `fonts`, `page`.

pub mod assemble;
pub mod chart_ops;
mod error;
pub mod fonts;
pub mod layout;
mod page;
mod report;
mod save;
mod sections;
mod table;

pub use error::PdfError;
pub use report::render;
