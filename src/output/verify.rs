//! What `assay verify` prints: the database's trail, a report or a bundle, alone or against
//! the database.

/// `assay verify` on the database: the chain, then what the replay checked.
pub fn audit_trail(trail: &assay_api::AuditTrail) -> String {
    let mut line = format!(
        "intact: the audit trail's {} events chain correctly, and the {} answers, votes, items \
         and sign-offs they describe are as they last recorded",
        trail.events, trail.rows_matching
    );
    if trail.signoffs_checked > 0 {
        line.push_str(&format!(
            "; the trail still holds the point each of {} sign-offs was given at",
            trail.signoffs_checked
        ));
    }
    if trail.rows_from_bundles > 0 {
        line.push_str(&format!(
            "; {} rows were last written by a bundle import",
            trail.rows_from_bundles
        ));
    }
    if !trail.rows_unrecorded.is_empty() {
        let kinds: Vec<String> = trail
            .rows_unrecorded
            .iter()
            .map(|(kind, n)| format!("{n} {kind}s"))
            .collect();
        line.push_str(&format!(
            "; {} have no event (made before the audit trail existed)",
            kinds.join(", ")
        ));
    }
    line
}

/// `assay verify BUNDLE`: the checksum held.
pub fn bundle_intact(bundle: &assay_api::VerifiedBundle) -> String {
    let point = bundle.trail.as_ref().map_or_else(String::new, |t| {
        format!(
            "; it was exported at audit event {} (SHA-256 {}), which `--db PATH` checks",
            t.seq, t.hash
        )
    });
    format!(
        "intact: the bundle of assessment {} matches its checksum (SHA-256 {}){point}",
        bundle.assessment_id, bundle.content_hash
    )
}

/// `assay verify BUNDLE --db PATH`: the bundle, then the database against it.
pub fn bundle_against_database(checked: &assay_api::BundleAgainstDatabase) -> String {
    let database = match checked.events_since {
        _ if !checked.holds_assessment => {
            "this database does not hold its assessment, so nothing more was compared".to_owned()
        }
        _ if checked.other_database => {
            "it was exported from another database, so its point in the audit trail was not \
             compared"
                .to_owned()
        }
        None => {
            "it records no point in the audit trail (exported by an earlier version)".to_owned()
        }
        Some(0) => "the audit trail still holds the event it was exported at, and nothing about \
                    the assessment was recorded since"
            .to_owned(),
        Some(n) => format!(
            "the audit trail still holds the event it was exported at; {n} events about the \
             assessment were recorded since, so the bundle is out of date, not tampered"
        ),
    };
    format!(
        "intact: the bundle of assessment {} matches its checksum; {database}",
        checked.bundle.assessment_id
    )
}

/// `assay verify FILE --db PATH`: the file, then the database against it.
pub fn report_against_database(checked: &assay_api::ReportAgainstDatabase) -> String {
    let report = &checked.report;
    let kind = &report.kind;
    let database = match (checked.data_changed, checked.events_since) {
        _ if !checked.holds_assessment => {
            "this database does not hold its assessment, so nothing more was compared".to_owned()
        }
        (false, _) => "the database holds the same data".to_owned(),
        (true, Some(n)) => format!(
            "the database has moved on since: {n} audit events after the {kind}'s; the {kind} \
             is out of date, not tampered"
        ),
        (true, None) => {
            format!("the database has moved on since; the {kind} is out of date, not tampered")
        }
    };
    format!("{}; {database}", verified_document(report))
}

/// A document file that matches its data.
pub fn verified_document(report: &assay_api::VerifiedReport) -> String {
    let what = if report.kind == "report" {
        "document".to_owned()
    } else {
        report.kind.clone()
    };
    if report.document_id == report.content_hash {
        // An audit document is named by its content hash: say it once.
        return format!(
            "intact: {what} matches its data (SHA-256 {})",
            report.content_hash
        );
    }
    format!(
        "intact: {what} {} matches its data (SHA-256 {})",
        report.document_id, report.content_hash
    )
}
