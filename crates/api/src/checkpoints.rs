//! Points of the audit trail recorded outside it: in sign-offs and in bundles (reports record
//! theirs on the cover, see `reports.rs`). Each names an event by number and hash; when the
//! trail no longer holds that event, it was cut back or rewritten after the point was taken.

use std::path::Path;

use assay_store::TrailPoint;
use serde::Serialize;

use crate::bundles::Bundle;
use crate::{ApiError, Assay, Result};

/// A bundle file checked on its own: its checksum and the bank it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedBundle {
    pub assessment_id: String,
    pub content_hash: String,
    /// The trail's end the bundle records; `None` for bundles made before bundles carried one.
    pub trail: Option<TrailPoint>,
}

/// A bundle file checked against this database as well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleAgainstDatabase {
    pub bundle: VerifiedBundle,
    /// The database holds the bundle's assessment; when it does not, nothing else is compared.
    pub holds_assessment: bool,
    /// Audit events about the assessment and its register recorded after the bundle's point;
    /// `None` when the bundle records no point or comes from another database.
    pub events_since: Option<usize>,
    /// The bundle was exported from another database (its trail starts elsewhere), so its
    /// point cannot be checked here.
    pub other_database: bool,
}

/// Checks a bundle file's checksum and the bank it carries.
pub fn verify_bundle_file(path: &Path) -> Result<VerifiedBundle> {
    let bundle = Bundle::read(path).map_err(|e| match e {
        ApiError::InvalidBundle(why) if why.contains("checksum") || why.contains("hash") => {
            ApiError::Tampered(format!("the bundle was altered: {why}"))
        }
        other => other,
    })?;
    bundle.carried_bank()?;
    Ok(VerifiedBundle {
        assessment_id: bundle.content.assessment.id.clone(),
        content_hash: bundle.content_hash.clone(),
        trail: bundle.trail.clone(),
    })
}

/// Whether `path` holds a bundle (JSON) rather than a report (HTML or PDF), by its first bytes.
pub fn is_bundle_file(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut start = [0u8; 64];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut start))
        .map_err(|e| ApiError::Io(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8_lossy(&start[..read]);
    Ok(text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{'))
}

impl Assay {
    /// Whether the trail still holds event `seq` with this `hash` (a report's, a bundle's or a
    /// sign-off's point).
    pub(crate) fn trail_holds(&self, seq: i64, hash: &str) -> Result<bool> {
        Ok(self
            .store
            .audit_event(seq)?
            .is_some_and(|event| event.hash == hash))
    }

    /// Checks every sign-off that records a point of this database's trail: the point and the
    /// sign-off's own event must both still be in the trail, so a trail cut back before the
    /// point, or cut off after it (the sign-off's event among the last), is an
    /// [`ApiError::Tampered`]. A sign-off brought by a bundle from another database names that
    /// database's trail and is left out; an emptied trail still fails the sign-offs given here.
    /// Returns how many were checked.
    pub(crate) fn verify_signoff_checkpoints(&self) -> Result<usize> {
        let origin = self.store.trail_origin()?;
        let mut checked = 0;
        for row in self.store.list_assessments()? {
            let imported = !self.store.bundle_imports(&row.id)?.is_empty();
            let recorded = self.store.audit_events(&format!("{}/signoff/", row.id))?;
            for signoff in self.store.signoffs(&row.id)? {
                let Some(point) = &signoff.trail else {
                    continue;
                };
                let given_elsewhere = match &origin {
                    Some(origin) => *origin != point.origin,
                    None => imported,
                };
                if given_elsewhere {
                    continue;
                }
                if !self.trail_holds(point.seq, &point.hash)? {
                    return Err(ApiError::Tampered(format!(
                        "the audit trail no longer holds event {} (SHA-256 {}) that the sign-off \
                         by {} on {} of assessment {} was given at: the trail was cut back or \
                         rewritten after it",
                        point.seq, point.hash, signoff.name, signoff.signed_on, row.id
                    )));
                }
                // Given here, with the trail running: its own event must be in the trail too.
                let entity_id = format!("{}/signoff/{}", row.id, signoff.id);
                if !recorded.iter().any(|e| e.entity_id == entity_id) {
                    return Err(ApiError::Tampered(format!(
                        "the sign-off by {} on {} of assessment {} was given after audit event {}, \
                         but the trail holds no event recording it: the trail's end was cut off",
                        signoff.name, signoff.signed_on, row.id, point.seq
                    )));
                }
                checked += 1;
            }
        }
        Ok(checked)
    }

    /// Checks a bundle file, then this database against it: the event the bundle was made at
    /// must still be in the trail, else [`ApiError::Tampered`].
    pub fn verify_bundle_against_database(&self, path: &Path) -> Result<BundleAgainstDatabase> {
        let bundle = verify_bundle_file(path)?;
        let current = match self.assessment(&bundle.assessment_id) {
            Ok(current) => current,
            Err(ApiError::AssessmentNotFound(_)) => {
                return Ok(BundleAgainstDatabase {
                    bundle,
                    holds_assessment: false,
                    events_since: None,
                    other_database: false,
                });
            }
            Err(other) => return Err(other),
        };
        let origin = self.store.trail_origin()?;
        let other_database = bundle
            .trail
            .as_ref()
            .is_some_and(|t| Some(&t.origin) != origin.as_ref());
        let Some(point) = bundle.trail.clone().filter(|_| !other_database) else {
            return Ok(BundleAgainstDatabase {
                bundle,
                holds_assessment: true,
                events_since: None,
                other_database,
            });
        };
        if !self.trail_holds(point.seq, &point.hash)? {
            return Err(ApiError::Tampered(format!(
                "the audit trail no longer holds event {} (SHA-256 {}) that this bundle was \
                 exported at: the trail was cut back or rewritten after the export",
                point.seq, point.hash
            )));
        }
        let now = self.trail_point(&current.id, &current.scope)?;
        Ok(BundleAgainstDatabase {
            bundle,
            holds_assessment: true,
            events_since: Some(now.map_or(0, |n| n.events.saturating_sub(point.events))),
            other_database: false,
        })
    }

    /// The end of the trail about an assessment and its scope's register, now.
    pub(crate) fn trail_point(
        &self,
        assessment_id: &str,
        scope: &str,
    ) -> Result<Option<TrailPoint>> {
        let items: Vec<String> = self
            .store
            .list_items(Some(scope))?
            .into_iter()
            .map(|i| i.id)
            .collect();
        Ok(self
            .store
            .trail_head(assessment_id, &items)?
            .zip(self.store.trail_origin()?)
            .map(|((events, seq, hash), origin)| TrailPoint {
                events,
                seq,
                hash,
                origin,
            }))
    }
}
