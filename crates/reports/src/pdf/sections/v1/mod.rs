//! The sections whose model version 1 layout differs from today's, frozen: a report is laid
//! out in the layout of the model version it embeds, so that `verify` can redraw any earlier
//! report byte for byte. These files never change.

mod crosswalk;
mod findings;
mod summary;

pub(in crate::pdf) use crosswalk::crosswalk;
pub(in crate::pdf) use findings::findings;
pub(in crate::pdf) use summary::summary;
