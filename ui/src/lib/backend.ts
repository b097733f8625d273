// Everything the screens ask of the desktop shell, one method per command.
import type {
  Answer,
  AnswerChange,
  Assessment,
  AssessmentSummary,
  Bank,
  Charts,
  Decision,
  Diff,
  ExportedReport,
  ImportProgress,
  ImportRequest,
  ImportSummary,
  ItemChange,
  ItemView,
  NewAssessment,
  Participant,
  ProjectEvidence,
  ReportExport,
  ReportFormat,
  Scorecard,
  SignoffView,
  Tracker,
  TrendPoint,
  VoteSummary,
  VoteValue,
} from './types';

export interface Backend {
  listAssessments(): Promise<AssessmentSummary[]>;
  getBank(): Promise<Bank>;
  createAssessment(input: NewAssessment): Promise<Assessment>;
  getAssessment(id: string): Promise<Assessment>;
  addParticipant(id: string, name: string, role: string): Promise<Participant>;
  castVote(id: string, question: string, participant: string, value: VoteValue): Promise<VoteSummary>;
  /** Fields left out keep their value. */
  updateAnswer(id: string, question: string, change: Partial<AnswerChange>): Promise<Answer>;
  score(id: string): Promise<Scorecard>;
  charts(id: string): Promise<Charts>;
  itemFromGap(id: string, question: string): Promise<ItemView>;
  listItems(scope: string | null, overdueOnly: boolean): Promise<ItemView[]>;
  /** Fields left out keep their value; `due_on: null` clears the due date. */
  updateItem(itemId: string, change: Partial<ItemChange>): Promise<ItemView>;
  history(scope: string): Promise<TrendPoint[]>;
  diff(from: string, to: string): Promise<Diff>;
  signOff(id: string, name: string, role: string, decision: Decision, comment: string): Promise<SignoffView>;
  signoffs(id: string): Promise<SignoffView[]>;
  exportReport(id: string, format: ReportFormat, path: string): Promise<ExportedReport>;
  listExports(id: string): Promise<ReportExport[]>;
  evidence(scope: string | null): Promise<ProjectEvidence[]>;
  importEvidence(request: ImportRequest, onProgress?: (p: ImportProgress) => void): Promise<ImportSummary>;
  /** Resolves to false when no import was running. */
  cancelImport(): Promise<boolean>;
  setToken(tracker: Tracker, url: string, user: string | null, secret: string): Promise<void>;
  /** Asks where to save a report (a native save dialog); null when the user cancels. */
  chooseExportPath(id: string, format: ReportFormat): Promise<string | null>;
  /** Opens a report the assessment exported with the system's viewer. */
  openExport(id: string, path: string): Promise<void>;
  /** Shows a report the assessment exported in the file manager. */
  revealExport(id: string, path: string): Promise<void>;
}
