//! Times as the store keeps them: RFC 3339 text (written with `to_rfc3339`), read back in UTC.
//! Every table's times are read through here, so a stored time means the same in each.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

use crate::{Result, StoreError};

/// A stored time, whatever offset it was written with, in UTC.
pub(crate) fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc))
}

/// A stored time that must be readable: text that is not one is a value this version cannot
/// read, named in the error.
pub(crate) fn read(text: &str) -> Result<DateTime<Utc>> {
    parse(text).map_err(|e| StoreError::Invalid(format!("time `{text}`: {e}")))
}

/// Column `index` of `row` as a time, for row mappers: text that is not one fails the row
/// as a conversion error, as rusqlite's own column types do.
pub(crate) fn column(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    parse(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(e)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;

    #[test]
    fn stored_times_read_back_in_utc() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap();
        assert_eq!(parse(&at.to_rfc3339()).unwrap(), at);
        assert_eq!(parse("2026-05-01T10:00:00Z").unwrap(), at);
        assert_eq!(parse("2026-05-01T12:00:00+02:00").unwrap(), at);
        let fine = Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap()
            + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(parse(&fine.to_rfc3339()).unwrap(), fine);
    }

    #[test]
    fn text_that_is_not_a_time_is_refused() {
        for bad in ["", "2026-05-01", "2026-05-01 10:00:00", "yesterday"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let error = read("yesterday").unwrap_err();
        assert!(matches!(&error, StoreError::Invalid(m) if m.starts_with("time `yesterday`: ")));
    }

    #[test]
    fn a_column_that_is_not_a_time_fails_its_row() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let read = |text: &str| conn.query_row("SELECT ?1", [text], |row| column(row, 0));
        assert_eq!(
            read("2026-05-01T10:00:00+00:00").unwrap(),
            Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap()
        );
        assert!(matches!(
            read("soon"),
            Err(rusqlite::Error::FromSqlConversionFailure(0, Type::Text, _))
        ));
    }
}
