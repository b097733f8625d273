// Generated from the Rust commands (src-tauri/src/commands.rs, src-tauri/src/bindings.rs).
// Do not edit: scripts/check-ipc-types.sh --write regenerates it.
import { invoke } from '../invoke';
import type { Answer, AnswerChange, Assessment, AssessmentSummary, Bank, BankSummary, CardFormat, Charts, Decision, Diff, Effort, ExportedDossier, ExportedReport, ExportedSoa, ExportedWorkbook, FinalState, ImportRequest, ImportSummary, InteropExport, ItemChange, ItemView, LinkedFile, NewAssessment, NoteToReview, Participant, ProjectEvidence, QuestionnaireExport, QuestionnaireImport, ReportExport, ReportFormat, Roadmap, RoadmapRaised, RoomCommand, RoomView, Scorecard, SignoffView, SoaApprovalView, SoaDecision, SoaFormat, StaleReport, StatementOfApplicability, Tracker, TrendPoint, VoteSummary, VoteValue } from './index';

export const listAssessments = (): Promise<Array<AssessmentSummary>> =>
  invoke('list_assessments');

/**
 * The question bank new assessments are taken with.
 */
export const getBank = (): Promise<Bank> =>
  invoke('get_bank');

/**
 * The question bank an assessment was taken with.
 */
export const assessmentBank = (id: string): Promise<Bank> =>
  invoke('assessment_bank', { id });

/**
 * The bank a scope's history is computed with (that of its latest assessment).
 */
export const historyBank = (scope: string): Promise<Bank> =>
  invoke('history_bank', { scope });

/**
 * Every bank the database holds or the app ships.
 */
export const listBanks = (): Promise<Array<BankSummary>> =>
  invoke('list_banks');

/**
 * One bank by `id@version` (or `id` for its newest version), to preview it.
 */
export const findBank = (name: string): Promise<Bank> =>
  invoke('find_bank', { name });

/**
 * Asks for a bank file to import (`ASSAY_BANK_FILE` in the end-to-end tests). `null` when
 * the user cancels.
 */
export const chooseBankFile = (): Promise<string | null> =>
  invoke('choose_bank_file');

/**
 * Checks a bank file and stores it; the same content again changes nothing.
 */
export const importBank = (path: string): Promise<BankSummary> =>
  invoke('import_bank', { path });

/**
 * Asks where to save a bank, then writes it: a JSON bank file, or with `workbook` an .xlsx
 * workbook to edit in a spreadsheet. `null` when the user cancels.
 */
export const exportBank = (name: string, workbook: boolean): Promise<string | null> =>
  invoke('export_bank', { name, workbook });

/**
 * Asks where to save the assessment's questionnaire (.xlsx), then writes it: the consensus
 * answers filled in, or `participant`'s own votes. `null` when the user cancels.
 */
export const exportQuestionnaire = (id: string, participant: string | null): Promise<QuestionnaireExport | null> =>
  invoke('export_questionnaire', { id, participant });

/**
 * Asks for a filled questionnaire (`ASSAY_QUESTIONNAIRE_FILE` in the end-to-end tests) and
 * imports it: as consensus answers, or as one participant's votes. `null` when the user
 * cancels.
 */
export const importQuestionnaire = (id: string, participant: string | null): Promise<QuestionnaireImport | null> =>
  invoke('import_questionnaire', { id, participant });

export const createAssessment = (input: NewAssessment): Promise<Assessment> =>
  invoke('create_assessment', { input });

export const getAssessment = (id: string): Promise<Assessment> =>
  invoke('get_assessment', { id });

export const addParticipant = (id: string, name: string, role: string): Promise<Participant> =>
  invoke('add_participant', { id, name, role });

/**
 * `participant` is a participant's id or name.
 */
export const castVote = (id: string, question: string, participant: string, value: VoteValue): Promise<VoteSummary> =>
  invoke('cast_vote', { id, question, participant, value });

/**
 * Every question's vote summary (spread, dissent, suggested consensus), by question id.
 */
export const voteSummaries = (id: string): Promise<{ [key in string]: VoteSummary }> =>
  invoke('vote_summaries', { id });

/**
 * Fields left out keep their value.
 */
export const updateAnswer = (id: string, question: string, change: AnswerChange): Promise<Answer> =>
  invoke('update_answer', { id, question, change });

export const score = (id: string): Promise<Scorecard> =>
  invoke('score', { id });

/**
 * The report's charts as standalone SVG documents.
 */
export const charts = (id: string): Promise<Charts> =>
  invoke('charts', { id });

/**
 * The roadmap to the next headline level: its blockers, then every other gap.
 */
export const roadmap = (id: string): Promise<Roadmap> =>
  invoke('roadmap', { id });

/**
 * Records the team's effort estimate for a question (`null`: back to the guess).
 */
export const setRoadmapEffort = (id: string, question: string, effort: Effort | null): Promise<Roadmap> =>
  invoke('set_roadmap_effort', { id, question, effort });

/**
 * Raises a register item for every roadmap step no open item already tracks.
 */
export const raiseRoadmap = (id: string): Promise<RoadmapRaised> =>
  invoke('raise_roadmap', { id });

export const itemFromGap = (id: string, question: string): Promise<ItemView> =>
  invoke('item_from_gap', { id, question });

export const listItems = (scope: string | null, overdueOnly: boolean): Promise<Array<ItemView>> =>
  invoke('list_items', { scope, overdueOnly });

/**
 * Fields left out keep their value; `due_on: null` clears the due date.
 */
export const updateItem = (itemId: string, change: ItemChange): Promise<ItemView> =>
  invoke('update_item', { itemId, change });

export const history = (scope: string): Promise<Array<TrendPoint>> =>
  invoke('history', { scope });

export const diff = (from: string, to: string): Promise<Diff> =>
  invoke('diff', { from, to });

/**
 * Notes unchanged since the scope's previous assessment on answers whose level changed.
 */
export const notesToReview = (id: string): Promise<Array<NoteToReview>> =>
  invoke('notes_to_review', { id });

/**
 * A conditional approval or a rejection needs a comment.
 */
export const signOff = (id: string, name: string, role: string, decision: Decision, comment: string): Promise<SignoffView> =>
  invoke('sign_off', { id, name, role, decision, comment });

/**
 * Finalises the assessment: its report is kept as it is now and its answers and votes
 * are frozen until it is reopened.
 */
export const finaliseAssessment = (id: string): Promise<FinalState> =>
  invoke('finalise_assessment', { id });

/**
 * Reopens a finalised assessment, recording why.
 */
export const reopenAssessment = (id: string, reason: string): Promise<FinalState> =>
  invoke('reopen_assessment', { id, reason });

/**
 * Whether the assessment is finalised or was reopened; `null` for a draft.
 */
export const finalState = (id: string): Promise<FinalState | null> =>
  invoke('final_state', { id });

/**
 * The files linked as evidence, each compared with the SHA-256 recorded when it was
 * linked.
 */
export const checkLinkedFiles = (id: string): Promise<Array<LinkedFile>> =>
  invoke('check_linked_files', { id });

export const signoffs = (id: string): Promise<Array<SignoffView>> =>
  invoke('signoffs', { id });

/**
 * Asks where to save a report: a native save dialog, or, when `ASSAY_EXPORT_DIR` is set
 * (the end-to-end tests, which cannot drive a native dialog), a file in that directory.
 * `null` when the user cancels.
 */
export const chooseExportPath = (id: string, format: ReportFormat): Promise<string | null> =>
  invoke('choose_export_path', { id, format });

/**
 * The ISO/IEC 42001 Statement of Applicability as it stands.
 */
export const statementOfApplicability = (id: string): Promise<StatementOfApplicability> =>
  invoke('statement_of_applicability', { id });

/**
 * Records the team's decision for one Annex A control (`null`: back to the proposal).
 */
export const setSoaDecision = (id: string, control: string, decision: SoaDecision | null): Promise<StatementOfApplicability> =>
  invoke('set_soa_decision', { id, control, decision });

/**
 * The statement's management approvals, each marked current when given for the content as
 * it stands.
 */
export const soaApprovals = (id: string): Promise<Array<SoaApprovalView>> =>
  invoke('soa_approvals', { id });

/**
 * Records management's approval of the statement as it stands, bound to its content hash.
 */
export const approveSoa = (id: string, name: string, role: string, decision: Decision, comment: string): Promise<Array<SoaApprovalView>> =>
  invoke('approve_soa', { id, name, role, decision, comment });

/**
 * Asks where to save the statement, as `choose_export_path` does for the report.
 */
export const chooseSoaPath = (id: string, format: SoaFormat): Promise<string | null> =>
  invoke('choose_soa_path', { id, format });

/**
 * The assessment's evidence that is no longer current.
 */
export const staleEvidence = (id: string): Promise<StaleReport> =>
  invoke('stale_evidence', { id });

/**
 * Sets how many days the assessment's evidence stays current (`null`: no period).
 */
export const setReattestPeriod = (id: string, days: number | null): Promise<StaleReport> =>
  invoke('set_reattest_period', { id, days });

/**
 * How many pieces of stale evidence each assessment has, by id (none left out).
 */
export const staleEvidenceCounts = (): Promise<{ [key in string]: number }> =>
  invoke('stale_evidence_counts');

/**
 * Asks where to save the assessment's workbook.
 */
export const chooseWorkbookPath = (id: string): Promise<string | null> =>
  invoke('choose_workbook_path', { id });

/**
 * Findings, register, crosswalk, roadmap and the scope's full tracker evidence as an Excel
 * workbook.
 */
export const exportWorkbook = (id: string, path: string): Promise<ExportedWorkbook> =>
  invoke('export_workbook', { id, path });

export const exportSoa = (id: string, format: SoaFormat, path: string): Promise<ExportedSoa> =>
  invoke('export_soa', { id, format, path });

/**
 * Asks where to save the EU AI Act Annex IV technical documentation draft.
 */
export const chooseDossierPath = (id: string, format: ReportFormat): Promise<string | null> =>
  invoke('choose_dossier_path', { id, format });

/**
 * The Annex IV draft, pre-filled from what Assay holds about the assessment's scope.
 */
export const exportDossier = (id: string, format: ReportFormat, path: string): Promise<ExportedDossier> =>
  invoke('export_dossier', { id, format, path });

/**
 * Asks where to save the model card of a registered model version.
 */
export const chooseModelCardPath = (model: string, version: string, format: CardFormat): Promise<string | null> =>
  invoke('choose_model_card_path', { model, version, format });

/**
 * The model card of a registered model version in the tracker evidence linked to `scope`:
 * a CycloneDX 1.6 ML-BOM or a readable HTML page.
 */
export const exportModelCard = (scope: string, model: string, version: string, format: CardFormat, path: string): Promise<InteropExport> =>
  invoke('export_model_card', { scope, model, version, format, path });

/**
 * Asks where to save the assessment as OSCAL assessment results.
 */
export const chooseOscalResultsPath = (id: string): Promise<string | null> =>
  invoke('choose_oscal_results_path', { id });

/**
 * The assessment as NIST OSCAL assessment results (JSON).
 */
export const exportOscalResults = (id: string, path: string): Promise<InteropExport> =>
  invoke('export_oscal_results', { id, path });

export const exportReport = (id: string, format: ReportFormat, path: string): Promise<ExportedReport> =>
  invoke('export_report', { id, format, path });

/**
 * Earlier exports, oldest first, each marked stale when the data has changed since.
 */
export const listExports = (id: string): Promise<Array<ReportExport>> =>
  invoke('list_exports', { id });

/**
 * Opens a report this assessment exported (only those) with the system's viewer.
 */
export const openExport = (id: string, path: string): Promise<void> =>
  invoke('open_export', { id, path });

/**
 * Shows a report this assessment exported in the file manager.
 */
export const revealExport = (id: string, path: string): Promise<void> =>
  invoke('reveal_export', { id, path });

export const evidence = (scope: string | null): Promise<Array<ProjectEvidence>> =>
  invoke('evidence', { scope });

/**
 * Imports a tracker project, emitting `import-progress` events as it goes. The secret is
 * read from the OS keyring (see `setToken`); an import is all-or-nothing.
 */
export const importEvidence = (request: ImportRequest): Promise<ImportSummary> =>
  invoke('import_evidence', { request });

/**
 * Stops the running import, if any; its earlier evidence stays as it was. `false` when
 * none was running.
 */
export const cancelImport = (): Promise<boolean> =>
  invoke('cancel_import');

/**
 * Opens a live room for the assessment on `bind` (default: this machine's LAN address),
 * over HTTPS when `tls`, closing any room already open.
 */
export const openRoom = (id: string, bind: string | null, tls: boolean): Promise<RoomView> =>
  invoke('open_room', { id, bind, tls });

/**
 * The open room, or `null` when none is open.
 */
export const roomStatus = (): Promise<RoomView | null> =>
  invoke('room_status');

/**
 * Moves the room, reveals the votes, issues a new code, or removes, renames or merges a
 * device.
 */
export const roomCommand = (command: RoomCommand): Promise<RoomView> =>
  invoke('room_command', { command });

/**
 * Closes the open room; `false` when none was open.
 */
export const closeRoom = (): Promise<boolean> =>
  invoke('close_room');

/**
 * Stores a tracker token in the OS keyring. It is never sent back to the web view.
 */
export const setToken = (tracker: Tracker, url: string, user: string | null, secret: string): Promise<void> =>
  invoke('set_token', { tracker, url, user, secret });

/** Every command, by its wrapper's name. */
export const commands = {
  listAssessments,
  getBank,
  assessmentBank,
  historyBank,
  listBanks,
  findBank,
  chooseBankFile,
  importBank,
  exportBank,
  exportQuestionnaire,
  importQuestionnaire,
  createAssessment,
  getAssessment,
  addParticipant,
  castVote,
  voteSummaries,
  updateAnswer,
  score,
  charts,
  roadmap,
  setRoadmapEffort,
  raiseRoadmap,
  itemFromGap,
  listItems,
  updateItem,
  history,
  diff,
  notesToReview,
  signOff,
  finaliseAssessment,
  reopenAssessment,
  finalState,
  checkLinkedFiles,
  signoffs,
  chooseExportPath,
  statementOfApplicability,
  setSoaDecision,
  soaApprovals,
  approveSoa,
  chooseSoaPath,
  staleEvidence,
  setReattestPeriod,
  staleEvidenceCounts,
  chooseWorkbookPath,
  exportWorkbook,
  exportSoa,
  chooseDossierPath,
  exportDossier,
  chooseModelCardPath,
  exportModelCard,
  chooseOscalResultsPath,
  exportOscalResults,
  exportReport,
  listExports,
  openExport,
  revealExport,
  evidence,
  importEvidence,
  cancelImport,
  openRoom,
  roomStatus,
  roomCommand,
  closeRoom,
  setToken,
};

export type Commands = typeof commands;

/** The event `importEvidence` reports progress with; its payload is an `ImportProgress`. */
export const IMPORT_PROGRESS_EVENT = 'import-progress';
