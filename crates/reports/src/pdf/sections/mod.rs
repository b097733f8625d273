//! The PDF report's sections, one module per section partial of the HTML report
//! (`templates/partials/`), in reading order.

mod appendix;
mod common;
mod contents;
mod cover;
mod crosswalk;
mod evidence;
mod findings;
mod governance;
mod method;
mod signoff;
mod summary;
mod tracked;
pub(super) mod v1;

pub(super) use appendix::appendix;
pub(super) use contents::contents;
pub(super) use cover::cover;
pub(super) use crosswalk::crosswalk;
pub(super) use evidence::evidence;
pub(super) use findings::findings;
pub(super) use governance::governance;
pub(super) use method::method;
pub(super) use signoff::signoff;
pub(super) use summary::summary;
