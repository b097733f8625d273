//! The app's commands, declared once. Each takes the shared [`Assay`] and calls one API method;
//! rules and validation live in the API layer, so the app, the CLI and the tests cannot
//! disagree. Errors cross IPC as the API's `{code, message}` payload.
//!
//! [`ipc_commands!`] turns each declaration into the `#[tauri::command]` function, its entry in
//! the invoke [`handler`] and, with the `ts` feature, its row in the command table from which
//! `ui/src/ipc/bindings/commands.ts` is generated (`scripts/check-ipc-types.sh`). A command's
//! name, argument names and types are therefore written here and nowhere else.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use assay_api::assessment::governance::Decision;
use assay_api::assessment::history::{Diff, NoteToReview, TrendPoint};
use assay_api::assessment::roadmap::{Effort, Roadmap};
use assay_api::assessment::soa::{SoaDecision, StatementOfApplicability};
use assay_api::assessment::{
    Answer, Assessment, Bank, Participant, Scorecard, VoteSummary, VoteValue,
};
use assay_api::evidence_model::Tracker;
use assay_api::store::FinalState;
use assay_api::{
    AnswerChange, ApiError, Assay, AssessmentSummary, BankSummary, CardFormat, Charts,
    ErrorPayload, ExportedDossier, ExportedReport, ExportedSoa, ExportedWorkbook, ImportSummary,
    InteropExport, ItemChange, ItemView, LinkedFile, NewAssessment, NewParticipant,
    ProjectEvidence, QuestionnaireExport, QuestionnaireImport, ReportExport, ReportFormat,
    RoadmapRaised, SignoffView, SoaApprovalView, SoaFormat, StaleReport, TokenStore,
    tracker_account,
};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::dialogs::{Filter, export_path, open_path, save_path};
use crate::imports::Imports;
use crate::ipc::ImportRequest;
use crate::room::{RoomCommand, RoomView, Rooms};

/// What every command returns: a value, or `{code, message}`.
pub type CommandResult<T> = Result<T, ErrorPayload>;

/// The one open workspace; commands take turns on its database connection.
pub type Shared = Mutex<Assay>;

/// A panic in one command must not lock the others out: the data lives in SQLite, whose
/// transactions a panic cannot leave half-written.
fn lock(assay: &Shared) -> MutexGuard<'_, Assay> {
    assay.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Declares the commands: `fn name(injected: Type, ...; argument: Type, ...) -> Output { body }`.
/// What stands before the `;` is supplied by Tauri (state, the app handle) and is not part of
/// the IPC contract; what stands after it is sent by the front end under the camelCase name.
/// Bodies return `CommandResult<Output>`.
macro_rules! ipc_commands {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($injected:ident: $injected_ty:ty),* ; $($arg:ident: $arg_ty:ty),*)
            -> $output:ty $body:block
    )*) => {
        // Commands are async so that Tauri runs them off the main thread: a PDF export or a
        // slow query never freezes the window.
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            async fn $name($($injected: $injected_ty,)* $($arg: $arg_ty),*)
                -> CommandResult<$output> $body
        )*

        /// The invoke handler for every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command's name, documentation, arguments and output, for the TypeScript
        /// wrappers.
        #[cfg(all(test, feature = "ts"))]
        pub fn command_table(cfg: &ts_rs::Config) -> Vec<crate::bindings::CommandSig> {
            vec![$(
                crate::bindings::CommandSig {
                    name: stringify!($name),
                    docs: vec![$($doc),*],
                    args: vec![$(
                        (stringify!($arg), crate::bindings::TypeSig::of::<$arg_ty>(cfg)),
                    )*],
                    output: crate::bindings::TypeSig::of::<$output>(cfg),
                },
            )*]
        }
    };
}

ipc_commands! {
    fn list_assessments(assay: State<'_, Shared>;) -> Vec<AssessmentSummary> {
        Ok(lock(&assay).list_assessments()?)
    }

    /// The question bank new assessments are taken with.
    fn get_bank(assay: State<'_, Shared>;) -> Bank {
        Ok(lock(&assay).bank().clone())
    }

    /// The question bank an assessment was taken with.
    fn assessment_bank(assay: State<'_, Shared>; id: String) -> Bank {
        Ok(lock(&assay).assessment_bank(&id)?.bank.clone())
    }

    /// The bank a scope's history is computed with (that of its latest assessment).
    fn history_bank(assay: State<'_, Shared>; scope: String) -> Bank {
        Ok(lock(&assay).history_bank(&scope)?.bank.clone())
    }

    /// Every bank the database holds or the app ships.
    fn list_banks(assay: State<'_, Shared>;) -> Vec<BankSummary> {
        Ok(lock(&assay).banks()?)
    }

    /// One bank by `id@version` (or `id` for its newest version), to preview it.
    fn find_bank(assay: State<'_, Shared>; name: String) -> Bank {
        Ok(lock(&assay).find_bank(&name)?.bank.clone())
    }

    /// Asks for a bank file to import (`ASSAY_BANK_FILE` in the end-to-end tests). `null` when
    /// the user cancels.
    fn choose_bank_file(app: AppHandle;) -> Option<String> {
        let filter = Filter {
            name: "Assay bank",
            extensions: &["json", "toml", "xlsx"],
        };
        let chosen = open_path(&app, "Import a question bank", "ASSAY_BANK_FILE", filter)?;
        Ok(chosen.map(|p| p.display().to_string()))
    }

    /// Checks a bank file and stores it; the same content again changes nothing.
    fn import_bank(assay: State<'_, Shared>; path: String) -> BankSummary {
        Ok(lock(&assay).import_bank(path.as_ref())?)
    }

    /// Asks where to save a bank, then writes it: a JSON bank file, or with `workbook` an .xlsx
    /// workbook to edit in a spreadsheet. `null` when the user cancels.
    fn export_bank(
        app: AppHandle,
        assay: State<'_, Shared>;
        name: String,
        workbook: bool
    ) -> Option<String> {
        let extension = if workbook { "xlsx" } else { "json" };
        let file_name = format!("{}.{extension}", name.replace('@', "-"));
        let filter = Filter {
            name: if workbook { "Excel workbook" } else { "Assay bank" },
            extensions: &[extension],
        };
        let Some(path) = save_path(&app, "Export question bank", &file_name, filter)? else {
            return Ok(None);
        };
        lock(&assay).export_bank(&name, &path)?;
        Ok(Some(path.display().to_string()))
    }

    /// Asks where to save the assessment's questionnaire (.xlsx), then writes it: the consensus
    /// answers filled in, or `participant`'s own votes. `null` when the user cancels.
    fn export_questionnaire(
        app: AppHandle,
        assay: State<'_, Shared>;
        id: String,
        participant: Option<String>
    ) -> Option<QuestionnaireExport> {
        let file_name = lock(&assay).questionnaire_file_name(&id, participant.as_deref())?;
        let filter = Filter {
            name: "Excel workbook",
            extensions: &["xlsx"],
        };
        let Some(path) = save_path(&app, "Export questionnaire", &file_name, filter)? else {
            return Ok(None);
        };
        Ok(Some(lock(&assay).export_questionnaire(
            &id,
            &path,
            participant.as_deref(),
        )?))
    }

    /// Asks for a filled questionnaire (`ASSAY_QUESTIONNAIRE_FILE` in the end-to-end tests) and
    /// imports it: as consensus answers, or as one participant's votes. `null` when the user
    /// cancels.
    fn import_questionnaire(
        app: AppHandle,
        assay: State<'_, Shared>;
        id: String,
        participant: Option<String>
    ) -> Option<QuestionnaireImport> {
        let filter = Filter {
            name: "Excel workbook",
            extensions: &["xlsx"],
        };
        let title = "Import a filled questionnaire";
        let Some(path) = open_path(&app, title, "ASSAY_QUESTIONNAIRE_FILE", filter)? else {
            return Ok(None);
        };
        Ok(Some(lock(&assay).import_questionnaire(
            &id,
            &path,
            participant.as_deref(),
        )?))
    }

    fn create_assessment(assay: State<'_, Shared>; input: NewAssessment) -> Assessment {
        Ok(lock(&assay).create_assessment(input)?)
    }

    fn get_assessment(assay: State<'_, Shared>; id: String) -> Assessment {
        Ok(lock(&assay).assessment(&id)?)
    }

    fn add_participant(
        assay: State<'_, Shared>;
        id: String,
        name: String,
        role: String
    ) -> Participant {
        Ok(lock(&assay).add_participant(&id, NewParticipant { name, role })?)
    }

    /// `participant` is a participant's id or name.
    fn cast_vote(
        assay: State<'_, Shared>;
        id: String,
        question: String,
        participant: String,
        value: VoteValue
    ) -> VoteSummary {
        Ok(lock(&assay).cast_vote(&id, &question, &participant, value)?)
    }

    /// Every question's vote summary (spread, dissent, suggested consensus), by question id.
    fn vote_summaries(assay: State<'_, Shared>; id: String) -> BTreeMap<String, VoteSummary> {
        Ok(lock(&assay).vote_summaries(&id)?)
    }

    /// Fields left out keep their value.
    fn update_answer(
        assay: State<'_, Shared>;
        id: String,
        question: String,
        change: AnswerChange
    ) -> Answer {
        Ok(lock(&assay).update_answer(&id, &question, change)?)
    }

    fn score(assay: State<'_, Shared>; id: String) -> Scorecard {
        Ok(lock(&assay).score(&id)?)
    }

    /// The report's charts as standalone SVG documents.
    fn charts(assay: State<'_, Shared>; id: String) -> Charts {
        Ok(lock(&assay).charts(&id)?)
    }

    /// The roadmap to the next headline level: its blockers, then every other gap.
    fn roadmap(assay: State<'_, Shared>; id: String) -> Roadmap {
        Ok(lock(&assay).roadmap(&id)?)
    }

    /// Records the team's effort estimate for a question (`null`: back to the guess).
    fn set_roadmap_effort(
        assay: State<'_, Shared>;
        id: String,
        question: String,
        effort: Option<Effort>
    ) -> Roadmap {
        Ok(lock(&assay).set_roadmap_effort(&id, &question, effort)?)
    }

    /// Raises a register item for every roadmap step no open item already tracks.
    fn raise_roadmap(assay: State<'_, Shared>; id: String) -> RoadmapRaised {
        Ok(lock(&assay).raise_roadmap(&id)?)
    }

    fn item_from_gap(assay: State<'_, Shared>; id: String, question: String) -> ItemView {
        Ok(lock(&assay).item_from_gap(&id, &question)?)
    }

    fn list_items(
        assay: State<'_, Shared>;
        scope: Option<String>,
        overdue_only: bool
    ) -> Vec<ItemView> {
        Ok(lock(&assay).list_items(scope.as_deref(), overdue_only)?)
    }

    /// Fields left out keep their value; `due_on: null` clears the due date.
    fn update_item(assay: State<'_, Shared>; item_id: String, change: ItemChange) -> ItemView {
        Ok(lock(&assay).update_item(&item_id, change)?)
    }

    fn history(assay: State<'_, Shared>; scope: String) -> Vec<TrendPoint> {
        Ok(lock(&assay).history(&scope)?)
    }

    fn diff(assay: State<'_, Shared>; from: String, to: String) -> Diff {
        Ok(lock(&assay).diff(&from, &to)?)
    }

    /// Notes unchanged since the scope's previous assessment on answers whose level changed.
    fn notes_to_review(assay: State<'_, Shared>; id: String) -> Vec<NoteToReview> {
        Ok(lock(&assay).notes_to_review(&id)?)
    }

    /// A conditional approval or a rejection needs a comment.
    fn sign_off(
        assay: State<'_, Shared>;
        id: String,
        name: String,
        role: String,
        decision: Decision,
        comment: String
    ) -> SignoffView {
        Ok(lock(&assay).sign_off(&id, &name, &role, decision, &comment)?)
    }

    /// Finalises the assessment: its report is kept as it is now and its answers and votes
    /// are frozen until it is reopened.
    fn finalise_assessment(assay: State<'_, Shared>; id: String) -> FinalState {
        Ok(lock(&assay).finalise_assessment(&id)?)
    }

    /// Reopens a finalised assessment, recording why.
    fn reopen_assessment(assay: State<'_, Shared>; id: String, reason: String) -> FinalState {
        Ok(lock(&assay).reopen_assessment(&id, &reason)?)
    }

    /// Whether the assessment is finalised or was reopened; `null` for a draft.
    fn final_state(assay: State<'_, Shared>; id: String) -> Option<FinalState> {
        Ok(lock(&assay).final_state(&id)?)
    }

    /// The files linked as evidence, each compared with the SHA-256 recorded when it was
    /// linked.
    fn check_linked_files(assay: State<'_, Shared>; id: String) -> Vec<LinkedFile> {
        Ok(lock(&assay).check_linked_files(&id)?)
    }

    fn signoffs(assay: State<'_, Shared>; id: String) -> Vec<SignoffView> {
        Ok(lock(&assay).signoffs(&id)?)
    }

    /// Asks where to save a report: a native save dialog, or, when `ASSAY_EXPORT_DIR` is set
    /// (the end-to-end tests, which cannot drive a native dialog), a file in that directory.
    /// `null` when the user cancels.
    fn choose_export_path(
        app: AppHandle,
        assay: State<'_, Shared>;
        id: String,
        format: ReportFormat
    ) -> Option<String> {
        let name = lock(&assay).export_file_name(&id, format)?;
        Ok(export_path(&app, "Export report", &name, format.extension())?)
    }

    /// The ISO/IEC 42001 Statement of Applicability as it stands.
    fn statement_of_applicability(assay: State<'_, Shared>; id: String) -> StatementOfApplicability {
        Ok(lock(&assay).statement_of_applicability(&id)?)
    }

    /// Records the team's decision for one Annex A control (`null`: back to the proposal).
    fn set_soa_decision(
        assay: State<'_, Shared>;
        id: String,
        control: String,
        decision: Option<SoaDecision>
    ) -> StatementOfApplicability {
        Ok(lock(&assay).set_soa_decision(&id, &control, decision)?)
    }

    /// The statement's management approvals, each marked current when given for the content as
    /// it stands.
    fn soa_approvals(assay: State<'_, Shared>; id: String) -> Vec<SoaApprovalView> {
        Ok(lock(&assay).soa_approvals(&id)?)
    }

    /// Records management's approval of the statement as it stands, bound to its content hash.
    fn approve_soa(
        assay: State<'_, Shared>;
        id: String,
        name: String,
        role: String,
        decision: Decision,
        comment: String
    ) -> Vec<SoaApprovalView> {
        let mut assay = lock(&assay);
        assay.approve_soa(&id, &name, &role, decision, &comment)?;
        Ok(assay.soa_approvals(&id)?)
    }

    /// Asks where to save the statement, as `choose_export_path` does for the report.
    fn choose_soa_path(
        app: AppHandle,
        assay: State<'_, Shared>;
        id: String,
        format: SoaFormat
    ) -> Option<String> {
        let name = lock(&assay).soa_file_name(&id, format)?;
        let title = "Export the Statement of Applicability";
        Ok(export_path(&app, title, &name, format.extension())?)
    }

    /// The assessment's evidence that is no longer current.
    fn stale_evidence(assay: State<'_, Shared>; id: String) -> StaleReport {
        Ok(lock(&assay).stale_evidence(&id)?)
    }

    /// Sets how many days the assessment's evidence stays current (`null`: no period).
    fn set_reattest_period(assay: State<'_, Shared>; id: String, days: Option<u32>) -> StaleReport {
        Ok(lock(&assay).set_reattest_period(&id, days)?)
    }

    /// How many pieces of stale evidence each assessment has, by id (none left out).
    fn stale_evidence_counts(assay: State<'_, Shared>;) -> BTreeMap<String, usize> {
        Ok(lock(&assay).stale_evidence_counts()?)
    }

    /// Asks where to save the assessment's workbook.
    fn choose_workbook_path(app: AppHandle, assay: State<'_, Shared>; id: String) -> Option<String> {
        let name = lock(&assay).workbook_file_name(&id)?;
        let title = "Export the assessment as a workbook";
        Ok(export_path(&app, title, &name, "xlsx")?)
    }

    /// Findings, register, crosswalk, roadmap and the scope's full tracker evidence as an Excel
    /// workbook.
    fn export_workbook(assay: State<'_, Shared>; id: String, path: String) -> ExportedWorkbook {
        Ok(lock(&assay).export_workbook(&id, path.as_ref())?)
    }

    fn export_soa(
        assay: State<'_, Shared>;
        id: String,
        format: SoaFormat,
        path: String
    ) -> ExportedSoa {
        Ok(lock(&assay).export_soa(&id, format, path.as_ref())?)
    }

    /// Asks where to save the EU AI Act Annex IV technical documentation draft.
    fn choose_dossier_path(
        app: AppHandle,
        assay: State<'_, Shared>;
        id: String,
        format: ReportFormat
    ) -> Option<String> {
        let name = lock(&assay).dossier_file_name(&id, format)?;
        let title = "Export the Annex IV technical documentation draft";
        Ok(export_path(&app, title, &name, format.extension())?)
    }

    /// The Annex IV draft, pre-filled from what Assay holds about the assessment's scope.
    fn export_dossier(
        assay: State<'_, Shared>;
        id: String,
        format: ReportFormat,
        path: String
    ) -> ExportedDossier {
        Ok(lock(&assay).export_dossier(&id, format, path.as_ref())?)
    }

    /// Asks where to save the model card of a registered model version.
    fn choose_model_card_path(
        app: AppHandle;
        model: String,
        version: String,
        format: CardFormat
    ) -> Option<String> {
        let name = Assay::model_card_file_name(&model, &version, format);
        let title = "Export the model card";
        Ok(export_path(&app, title, &name, format.extension())?)
    }

    /// The model card of a registered model version in the tracker evidence linked to `scope`:
    /// a CycloneDX 1.6 ML-BOM or a readable HTML page.
    fn export_model_card(
        assay: State<'_, Shared>;
        scope: String,
        model: String,
        version: String,
        format: CardFormat,
        path: String
    ) -> InteropExport {
        Ok(lock(&assay).export_model_card(&scope, &model, &version, format, path.as_ref())?)
    }

    /// Asks where to save the assessment as OSCAL assessment results.
    fn choose_oscal_results_path(
        app: AppHandle,
        assay: State<'_, Shared>;
        id: String
    ) -> Option<String> {
        let name = lock(&assay).oscal_results_file_name(&id)?;
        let title = "Export the OSCAL assessment results";
        Ok(export_path(&app, title, &name, "json")?)
    }

    /// The assessment as NIST OSCAL assessment results (JSON).
    fn export_oscal_results(assay: State<'_, Shared>; id: String, path: String) -> InteropExport {
        Ok(lock(&assay).export_oscal_results(&id, path.as_ref())?)
    }

    fn export_report(
        assay: State<'_, Shared>;
        id: String,
        format: ReportFormat,
        path: String
    ) -> ExportedReport {
        Ok(lock(&assay).export_report_file(&id, format, path.as_ref())?)
    }

    /// Earlier exports, oldest first, each marked stale when the data has changed since.
    fn list_exports(assay: State<'_, Shared>; id: String) -> Vec<ReportExport> {
        Ok(lock(&assay).exports(&id)?)
    }

    /// Opens a report this assessment exported (only those) with the system's viewer.
    fn open_export(app: AppHandle, assay: State<'_, Shared>; id: String, path: String) -> () {
        let path = lock(&assay).recorded_export(&id, &path)?;
        app.opener()
            .open_path(path.display().to_string(), None::<&str>)
            .map_err(|e| ApiError::Io(format!("cannot open {}: {e}", path.display())).into())
    }

    /// Shows a report this assessment exported in the file manager.
    fn reveal_export(app: AppHandle, assay: State<'_, Shared>; id: String, path: String) -> () {
        let path = lock(&assay).recorded_export(&id, &path)?;
        app.opener()
            .reveal_item_in_dir(&path)
            .map_err(|e| ApiError::Io(format!("cannot show {}: {e}", path.display())).into())
    }

    fn evidence(assay: State<'_, Shared>; scope: Option<String>) -> Vec<ProjectEvidence> {
        Ok(lock(&assay).evidence(scope.as_deref())?)
    }

    /// Imports a tracker project, emitting `import-progress` events as it goes. The secret is
    /// read from the OS keyring (see `setToken`); an import is all-or-nothing.
    fn import_evidence(
        app: AppHandle,
        imports: State<'_, Imports>;
        request: ImportRequest
    ) -> ImportSummary {
        imports.run(app, request).await
    }

    /// Stops the running import, if any; its earlier evidence stays as it was. `false` when
    /// none was running.
    fn cancel_import(imports: State<'_, Imports>;) -> bool {
        Ok(imports.cancel())
    }

    /// Opens a live room for the assessment on `bind` (default: this machine's LAN address),
    /// over HTTPS when `tls`, closing any room already open.
    fn open_room(rooms: State<'_, Rooms>; id: String, bind: Option<String>, tls: bool) -> RoomView {
        Ok(rooms.open(&id, bind.as_deref(), tls)?)
    }

    /// The open room, or `null` when none is open.
    fn room_status(rooms: State<'_, Rooms>;) -> Option<RoomView> {
        Ok(rooms.status()?)
    }

    /// Moves the room, reveals the votes, issues a new code, or removes, renames or merges a
    /// device.
    fn room_command(rooms: State<'_, Rooms>; command: RoomCommand) -> RoomView {
        Ok(rooms.command(command)?)
    }

    /// Closes the open room; `false` when none was open.
    fn close_room(rooms: State<'_, Rooms>;) -> bool {
        Ok(rooms.close())
    }

    /// Stores a tracker token in the OS keyring. It is never sent back to the web view.
    fn set_token(
        ;
        tracker: Tracker,
        url: String,
        user: Option<String>,
        secret: String
    ) -> () {
        let account = tracker_account(tracker, &url, user.as_deref())?;
        Ok(TokenStore::os().save(&account, &secret)?)
    }
}
