//! `assay`: the command-line face of Assay. Each command parses its arguments, calls one
//! method of the API layer (`assay_api::Assay`) and prints the result; nothing else.

mod args;
mod banks;
mod bundles;
mod dossier;
mod evidence;
mod interop;
mod items;
mod output;
mod questionnaires;
mod roadmap;
mod soa;
mod workshop;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use assay_api::{
    AnswerChange, ApiError, Assay, ErrorCode, NewAssessment, NewParticipant, ReportFormat,
    SystemClock, TargetChange,
};
use assay_assessment::governance::Decision;
use assay_assessment::{Confidence, EvidenceKind, EvidenceLink, Level, Rating, VoteValue};
use clap::Parser;

use args::{AnswerArgs, AssessmentCommand, Cli, Command, SignoffCommand, TargetArgs};
use output::Output;

/// Exit statuses, documented in `assay --help`.
const EXIT_FAILURE: u8 = 1;
const EXIT_INVALID_INPUT: u8 = 2;
const EXIT_NOT_FOUND: u8 = 3;
const EXIT_DATABASE_REFUSED: u8 = 4;
const EXIT_TAMPERED: u8 = 5;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Output::stdout(cli.json_output());
    match run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = out.flush();
            // One line, whatever the message holds.
            let mut message = error.to_string().replace(['\n', '\r'], " ");
            if let Some(hint) = hint(error.code()) {
                message = format!("{message}; {hint}");
            }
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(exit_status(&error))
        }
    }
}

/// Every error code has its exit status here; a new code does not compile until it has one.
fn exit_status(error: &ApiError) -> u8 {
    use ErrorCode::*;
    match error.code() {
        AssessmentNotFound | UnknownQuestion | UnknownArea | UnknownParticipant | ItemNotFound
        | UnknownBank => EXIT_NOT_FOUND,
        NotADatabase | DatabaseTooNew => EXIT_DATABASE_REFUSED,
        Tampered => EXIT_TAMPERED,
        code @ (AmbiguousId | DuplicateParticipant | BankMismatch | InvalidInput | InvalidBank
        | BankConflict | AssessmentFinalised | Io | InvalidBundle | BundleTooNew
        | KeyringUnavailable | Report | NotAReport | DiskFull | WriteFailed
        | DatabaseBusy | Storage | AuthFailed | HostRejected | NotFound | RateLimited
        | ServerError | Timeout | BadResponse | TooLarge | Network | Tls | Cancelled
        | InvalidConfig | NotAnExport | ImportRunning | Internal) => {
            if code.is_user_error() {
                EXIT_INVALID_INPUT
            } else {
                EXIT_FAILURE
            }
        }
    }
}

/// Where on the command line to look next, for the errors a command can help with.
fn hint(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::AssessmentNotFound => Some("`assay assessment list` shows them"),
        ErrorCode::ItemNotFound => Some("`assay item list` shows them"),
        ErrorCode::UnknownQuestion | ErrorCode::UnknownArea => Some("`assay bank` lists them"),
        ErrorCode::UnknownBank => Some("`assay bank list` shows them"),
        ErrorCode::UnknownParticipant => Some("add them with `assay assessment participant`"),
        _ => None,
    }
}

fn run(cli: Cli, out: &mut Output) -> Result<(), ApiError> {
    // `bank` and `verify` need no database: they must work before anything is set up.
    match &cli.command {
        Command::Bank { command: None, .. } => return out.bank(&assay_api::builtin_bank()?),
        Command::Token { command } => return evidence::token(command, out),
        Command::Verify { file: Some(file) }
            if cli.db.is_none() && assay_api::is_bundle_file(file)? =>
        {
            let bundle = assay_api::verify_bundle_file(file)?;
            return out.line(&output::bundle_intact(&bundle));
        }
        Command::Verify { file: Some(file) } if cli.db.is_none() => {
            let report = assay_api::verify_report_file(file)?;
            return out.line(&output::verified_document(&report));
        }
        _ => {}
    }
    let db = match cli.db {
        Some(path) => path,
        None => assay_api::default_db_path().ok_or_else(|| {
            ApiError::Invalid("no data directory is known on this system; pass --db PATH".into())
        })?,
    };
    let mut assay = Assay::open(&db, Box::new(SystemClock))?;
    if let Some(actor) = &cli.actor {
        assay = assay.with_actor(actor)?;
    }
    match cli.command {
        Command::Bank { command: None, .. } => Ok(()),
        Command::Verify { file: Some(file) } if assay_api::is_bundle_file(&file)? => {
            let checked = assay.verify_bundle_against_database(&file)?;
            out.line(&output::bundle_against_database(&checked))
        }
        Command::Verify { file: Some(file) } => {
            let checked = assay.verify_report_against_database(&file)?;
            out.line(&output::report_against_database(&checked))
        }
        Command::Bank {
            command: Some(command),
            ..
        } => banks::run(&mut assay, command, out),
        Command::Verify { file: None } => {
            let trail = assay.verify_audit_trail()?;
            out.line(&output::audit_trail(&trail))
        }
        Command::Demo => {
            let id = assay.create_demo()?;
            // The demo's reports go next to the database; stdout stays just the id.
            let dir = db
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            for format in [ReportFormat::Html, ReportFormat::Pdf] {
                let file = dir.join(format!("assay-demo-report.{}", format.extension()));
                assay.export_report(&id, format, &file)?;
                let _ = writeln!(std::io::stderr(), "wrote {}", file.display());
            }
            out.line(&id)
        }
        Command::Report {
            assessment,
            format,
            out: file,
        } => {
            let report = assay.export_report(&assessment, ReportFormat::parse(&format)?, &file)?;
            out.line(&format!(
                "wrote {} (document {}, SHA-256 {})",
                file.display(),
                report.document_id,
                report.content_hash
            ))
        }
        Command::ModelCard {
            scope,
            model,
            model_version,
            format,
            out: file,
        } => interop::model_card(&assay, &scope, &model, &model_version, &format, file, out),
        Command::Oscal { command } => interop::oscal(&assay, command, out),
        Command::Assessment { command } => assessment(&mut assay, command, out),
        Command::Answer(args) => answer(&mut assay, args, out),
        Command::Roadmap {
            assessment,
            effort,
            raise,
            ..
        } => roadmap::run(&mut assay, &assessment, &effort, raise, out),
        Command::Soa {
            assessment,
            format,
            out: file,
            control,
            include,
            exclude,
            proposal,
            justification,
            drivers,
            owner,
            approve,
            role,
            decision,
            comment,
            ..
        } => soa::run(
            &mut assay,
            soa::SoaRequest {
                assessment,
                format,
                out: file,
                control,
                include,
                exclude,
                proposal,
                justification,
                drivers,
                owner,
                approval: approve.map(|name| soa::Approval {
                    name,
                    role: role.unwrap_or_default(),
                    decision: decision.unwrap_or_default(),
                    comment: comment.unwrap_or_default(),
                }),
            },
            out,
        ),
        Command::Spreadsheet {
            assessment,
            out: file,
        } => {
            let book = assay.export_workbook(&assessment, &file)?;
            let sheets: Vec<String> = book
                .sheets
                .iter()
                .map(|(name, rows)| format!("{name} {rows}"))
                .collect();
            out.line(&format!("wrote {} ({})", book.path, sheets.join(", ")))
        }
        Command::Stale {
            assessment,
            reattest_days,
            no_reattest,
            ..
        } => {
            let report = if reattest_days.is_some() || no_reattest {
                assay.set_reattest_period(&assessment, reattest_days)?
            } else {
                assay.stale_evidence(&assessment)?
            };
            out.stale(&report)
        }
        Command::Dossier {
            assessment,
            format,
            out: file,
        } => dossier::run(&assay, &assessment, format.as_deref(), &file, out),
        Command::History { scope, .. } => {
            let trend = assay.history(&scope)?;
            out.history(&assay.history_bank(&scope)?.bank, &trend)
        }
        Command::Diff { from, to, .. } => {
            let diff = assay.diff(&from, &to)?;
            out.diff(&assay.assessment_bank(&to)?.bank, &diff)
        }
        Command::Item { command } => items::run(&mut assay, command, out),
        Command::Questionnaire { command } => questionnaires::run(&mut assay, command, out),
        Command::Bundle { command } => bundles::run(&mut assay, command, out),
        Command::Workshop { command } => {
            // The room opens its own connection; this one is not needed while it runs.
            drop(assay);
            workshop::run(&db, command, out)
        }
        Command::Import { command } => evidence::import(&mut assay, command, out),
        Command::Evidence { scope, json } => evidence::show(&assay, scope.as_deref(), json, out),
        Command::FairnessRule(args) => evidence::add_rule(&mut assay, args, out),
        Command::Token { .. } => Ok(()),
        Command::Signoff {
            command:
                SignoffCommand::Add {
                    assessment,
                    name,
                    role,
                    decision,
                    comment,
                },
        } => {
            let decision = Decision::parse(&decision)?;
            let signed = assay.sign_off(&assessment, &name, &role, decision, &comment)?;
            out.line(&format!(
                "signed: {} bound to data SHA-256 {}",
                signed.signoff.id, signed.signoff.data_hash
            ))
        }
        Command::Signoff {
            command: SignoffCommand::List { assessment, .. },
        } => out.signoffs(&assay.signoffs(&assessment)?),
        Command::Score { assessment, .. } => {
            let card = assay.score(&assessment)?;
            let current = assay.assessment(&assessment)?;
            out.scorecard(&assay.assessment_bank(&current.id)?.bank, &current, &card)
        }
    }
}

fn assessment(
    assay: &mut Assay,
    command: AssessmentCommand,
    out: &mut Output,
) -> Result<(), ApiError> {
    match command {
        AssessmentCommand::New {
            scope,
            title,
            from,
            bank,
            date,
            participants,
            target,
            area_targets,
            question_targets,
        } => {
            let mut new = NewAssessment {
                scope: scope.unwrap_or_default(),
                title: title.unwrap_or_default(),
                start_from: from,
                bank,
                ..NewAssessment::default()
            };
            new.assessed_on = date.as_deref().map(args::parse_date).transpose()?;
            new.participants = participants
                .iter()
                .map(|p| {
                    args::parse_participant(p).map(|(name, role)| NewParticipant { name, role })
                })
                .collect::<Result<_, _>>()?;
            new.targets.default = target.as_deref().map(Level::parse).transpose()?;
            for spec in &area_targets {
                let (area, level) = args::parse_assignment(spec, "--area-target")?;
                new.targets.areas.insert(area, level);
            }
            for spec in &question_targets {
                let (question, level) = args::parse_assignment(spec, "--question-target")?;
                new.targets
                    .questions
                    .insert(question.to_ascii_uppercase(), level);
            }
            let created = assay.create_assessment(new)?;
            out.line(&created.id)
        }
        AssessmentCommand::List { .. } => out.assessment_list(&assay.list_assessments()?),
        AssessmentCommand::Show { id, .. } => {
            let current = assay.assessment(&id)?;
            let reviews = assay.notes_to_review(&current.id)?;
            out.assessment(
                &assay.assessment_bank(&current.id)?.bank,
                &current,
                &reviews,
            )
        }
        AssessmentCommand::Finalise { id } => {
            let state = assay.finalise_assessment(&id)?;
            out.line(&format!(
                "finalised by {} at {}; its report is kept as it is now (data SHA-256 {})",
                state.finalised_by,
                state.finalised_at.format("%Y-%m-%d %H:%M:%S UTC"),
                state.model_sha256
            ))
        }
        AssessmentCommand::Files { id, .. } => out.linked_files(&assay.check_linked_files(&id)?),
        AssessmentCommand::Reopen { id, reason } => {
            let state = assay.reopen_assessment(&id, &reason)?;
            let by = state.reopened.as_ref().map_or("", |r| r.by.as_str());
            out.line(&format!(
                "reopened by {by}; answers and votes can change again"
            ))
        }
        AssessmentCommand::Participant { id, name, role } => {
            let participant = assay.add_participant(&id, NewParticipant { name, role })?;
            out.line(&participant.id)
        }
        AssessmentCommand::Target(TargetArgs {
            id,
            default,
            area,
            question,
            clear,
        }) => {
            let level = |value: Option<&str>| -> Result<Option<Level>, ApiError> {
                match value {
                    _ if clear => Ok(None),
                    Some(value) => Ok(Some(Level::parse(value)?)),
                    None => Err(ApiError::Invalid("give a level, or --clear".into())),
                }
            };
            let (area, question) = (area.as_deref(), question.as_deref());
            let scoped = area
                .or(question)
                .map(|spec| split_target(spec, clear))
                .transpose()?;
            let change = match (&scoped, area) {
                (Some((scope, value)), Some(_)) => {
                    TargetChange::Area(scope, level(value.as_deref())?)
                }
                (Some((scope, value)), None) => {
                    TargetChange::Question(scope, level(value.as_deref())?)
                }
                (None, _) => TargetChange::Default(level(default.as_deref())?),
            };
            assay.set_target(&id, change)?;
            out.line("target saved")
        }
    }
}

/// `AREA=LEVEL`, or just `AREA` when clearing.
fn split_target(spec: &str, clear: bool) -> Result<(String, Option<String>), ApiError> {
    if clear {
        return Ok((spec.trim().to_owned(), None));
    }
    let (scope, level) = args::parse_assignment(spec, "target")?;
    Ok((scope, Some(level.to_string())))
}

fn answer(assay: &mut Assay, args: AnswerArgs, out: &mut Output) -> Result<(), ApiError> {
    let level = args.level.as_deref().map(Level::parse).transpose()?;
    if let Some(participant) = &args.participant {
        let value = match (level, args.not_applicable) {
            (Some(level), false) => VoteValue::Level(level),
            (None, true) => VoteValue::NotApplicable,
            _ => {
                return Err(ApiError::Invalid(
                    "a vote is either --level N or --na".into(),
                ));
            }
        };
        let summary = assay.cast_vote(&args.assessment, &args.question, participant, value)?;
        return out.vote_summary(&summary);
    }
    let rating = match (level, args.not_applicable) {
        (Some(_), true) => {
            return Err(ApiError::Invalid(
                "give either --level or --na, not both".into(),
            ));
        }
        (Some(level), false) => Some(Rating::level(level)),
        (None, true) => Some(Rating::not_applicable(
            args.justification.as_deref().unwrap_or(""),
        )?),
        (None, false) => None,
    };
    let mut add_evidence = Vec::new();
    for url in args.evidence_url {
        add_evidence.push(EvidenceLink {
            kind: EvidenceKind::Url,
            target: url,
            label: None,
            as_of: None,
            provenance: None,
        });
    }
    for file in args.evidence_file {
        add_evidence.push(EvidenceLink {
            kind: EvidenceKind::File,
            target: file,
            label: None,
            as_of: None,
            provenance: None,
        });
    }
    let change = AnswerChange {
        rating,
        clear_rating: args.clear,
        accept_votes: args.accept_votes,
        note: args.note,
        confidence: args
            .confidence
            .as_deref()
            .map(Confidence::parse)
            .transpose()?,
        add_evidence,
    };
    let was_carried = args.confirm
        && assay
            .assessment(&args.assessment)?
            .answers
            .iter()
            .any(|(q, a)| q.eq_ignore_ascii_case(args.question.trim()) && a.carried.is_some());
    let answer = assay.update_answer(&args.assessment, &args.question, change)?;
    if args.confirm && !was_carried {
        out.line("note: the answer was not a carried one; nothing to confirm")?;
    }
    out.answer(&args.question, &answer)
}
