//! The page: A4 portrait geometry in points from the top left corner, and the outline entries
//! that point into pages.

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;
pub const PAGE_WIDTH: f32 = 210.0 * MM;
pub const PAGE_HEIGHT: f32 = 297.0 * MM;
/// Left and right margin.
pub const MARGIN_X: f32 = 20.0 * MM;
/// Top of the text area; the running header sits above it.
pub const TEXT_TOP: f32 = 25.0 * MM;
/// Bottom of the text area; the footer sits below it.
pub const TEXT_BOTTOM: f32 = PAGE_HEIGHT - 22.0 * MM;
pub const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// One outline entry: title, 1-based page, and the y (from the top) it points at.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bookmark {
    pub(super) title: String,
    pub(super) page: usize,
    pub(super) y: f32,
}
