//! `assay item ...`: the governance register from the command line.

use assay_api::{ApiError, Assay, ItemChange, NewItem};
use assay_assessment::governance::{ItemStatus, Priority, StatusChange};
use assay_assessment::{EvidenceKind, EvidenceLink};

use crate::args::{ItemCommand, parse_date};
use crate::output::Output;

pub fn run(assay: &mut Assay, command: ItemCommand, out: &mut Output) -> Result<(), ApiError> {
    match command {
        ItemCommand::New {
            scope,
            assessment,
            title,
            description,
            owner,
            due,
            priority,
            questions,
        } => {
            let item = assay.create_item(NewItem {
                scope: scope.unwrap_or_default(),
                title,
                description,
                owner,
                due_on: due.as_deref().map(parse_date).transpose()?,
                priority: priority.as_deref().map(Priority::parse).transpose()?,
                questions,
                assessment,
            })?;
            out.line(&item.item.id)
        }
        ItemCommand::FromGap {
            assessment,
            question,
        } => {
            let item = assay.item_from_gap(&assessment, &question)?;
            out.line(&item.item.id)
        }
        ItemCommand::List { scope, overdue, .. } => {
            out.items(&assay.list_items(scope.as_deref(), overdue)?)
        }
        ItemCommand::Show { id, .. } => out.item(&assay.item(&id)?),
        ItemCommand::Update {
            id,
            status,
            accepted_by,
            reason,
            owner,
            due,
            priority,
            title,
            description,
            evidence_url,
            evidence_file,
        } => {
            let status = match status.as_deref().map(ItemStatus::parse).transpose()? {
                Some(ItemStatus::RiskAccepted) => Some(StatusChange::AcceptRisk {
                    accepted_by: accepted_by.unwrap_or_default(),
                    reason: reason.unwrap_or_default(),
                }),
                Some(other) => Some(StatusChange::To(other)),
                None => None,
            };
            let due_on = match due.as_deref().map(str::trim) {
                None => None,
                Some("") => Some(None),
                Some(date) => Some(Some(parse_date(date)?)),
            };
            let add_evidence = evidence_url
                .into_iter()
                .map(|target| EvidenceLink {
                    kind: EvidenceKind::Url,
                    target,
                    label: None,
                    as_of: None,
                    provenance: None,
                })
                .chain(evidence_file.into_iter().map(|target| EvidenceLink {
                    kind: EvidenceKind::File,
                    target,
                    label: None,
                    as_of: None,
                    provenance: None,
                }))
                .collect();
            let change = ItemChange {
                title,
                description,
                owner,
                due_on,
                priority: priority.as_deref().map(Priority::parse).transpose()?,
                status,
                add_evidence,
            };
            out.item(&assay.update_item(&id, change)?)
        }
    }
}
