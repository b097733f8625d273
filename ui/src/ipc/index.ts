// The only module that talks to the desktop shell: one typed async function per Tauri command.
// Argument names are camelCase here; Tauri maps them to the commands' snake_case parameters.
// The types come from the Rust types (./bindings, generated; scripts/check-ipc-types.sh).
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  Answer,
  AnswerChange,
  Assessment,
  AssessmentSummary,
  Bank,
  Charts,
  Diff,
  ErrorPayload,
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
} from './bindings';

export type * from './bindings';

/** What every command rejects with: a stable code and a sentence. */
export type IpcError = ErrorPayload;

/** The event `importEvidence` reports progress with. */
export const IMPORT_PROGRESS_EVENT = 'import-progress';

export function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IpcError).code === 'string' &&
    typeof (value as IpcError).message === 'string'
  );
}

/** Commands reject with `{code, message}`; Tauri's own failures (a missing command, say) are strings. */
function toIpcError(error: unknown): IpcError {
  if (isIpcError(error)) return error;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

async function invoke<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await tauriInvoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

export const listAssessments = (): Promise<AssessmentSummary[]> => invoke('list_assessments');

export const getBank = (): Promise<Bank> => invoke('get_bank');

export const createAssessment = (input: NewAssessment): Promise<Assessment> =>
  invoke('create_assessment', { input });

export const getAssessment = (id: string): Promise<Assessment> => invoke('get_assessment', { id });

export const addParticipant = (id: string, name: string, role: string): Promise<Participant> =>
  invoke('add_participant', { id, name, role });

/** `participant` is a participant's id or name. */
export const castVote = (
  id: string,
  question: string,
  participant: string,
  value: VoteValue,
): Promise<VoteSummary> => invoke('cast_vote', { id, question, participant, value });

/** Fields left out keep their value. */
export const updateAnswer = (
  id: string,
  question: string,
  change: Partial<AnswerChange>,
): Promise<Answer> => invoke('update_answer', { id, question, change });

export const score = (id: string): Promise<Scorecard> => invoke('score', { id });

/** The report's charts as standalone SVG documents. */
export const charts = (id: string): Promise<Charts> => invoke('charts', { id });

export const itemFromGap = (id: string, question: string): Promise<ItemView> =>
  invoke('item_from_gap', { id, question });

export const listItems = (scope: string | null, overdueOnly: boolean): Promise<ItemView[]> =>
  invoke('list_items', { scope, overdueOnly });

/** Fields left out keep their value; `due_on: null` clears the due date. */
export const updateItem = (itemId: string, change: Partial<ItemChange>): Promise<ItemView> =>
  invoke('update_item', { itemId, change });

export const history = (scope: string): Promise<TrendPoint[]> => invoke('history', { scope });

export const diff = (from: string, to: string): Promise<Diff> => invoke('diff', { from, to });

/** `decision`: approve, approve_with_conditions or reject (the last two need a comment). */
export const signOff = (
  id: string,
  name: string,
  role: string,
  decision: string,
  comment: string,
): Promise<SignoffView> => invoke('sign_off', { id, name, role, decision, comment });

export const signoffs = (id: string): Promise<SignoffView[]> => invoke('signoffs', { id });

/** Asks where to save the report (a native save dialog); `null` when the user cancels. */
export const chooseExportPath = (id: string, format: ReportFormat): Promise<string | null> =>
  invoke('choose_export_path', { id, format });

export const exportReport = (
  id: string,
  format: ReportFormat,
  path: string,
): Promise<ExportedReport> => invoke('export_report', { id, format, path });

/** Earlier exports, oldest first, each marked stale when the data has changed since. */
export const listExports = (id: string): Promise<ReportExport[]> => invoke('list_exports', { id });

/** Opens a report this assessment exported (only those) with the system's viewer. */
export const openExport = (id: string, path: string): Promise<void> =>
  invoke('open_export', { id, path });

/** Shows a report this assessment exported in the file manager. */
export const revealExport = (id: string, path: string): Promise<void> =>
  invoke('reveal_export', { id, path });

export const evidence = (scope: string | null): Promise<ProjectEvidence[]> =>
  invoke('evidence', { scope });

/**
 * Imports a tracker project; `onProgress` hears each step until the import ends. The secret is
 * read from the OS keyring (see `setToken`); an import is all-or-nothing.
 */
export async function importEvidence(
  request: ImportRequest,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportSummary> {
  const unlisten = onProgress
    ? await listen<ImportProgress>(IMPORT_PROGRESS_EVENT, (event) => onProgress(event.payload))
    : undefined;
  try {
    return await invoke<ImportSummary>('import_evidence', { request });
  } finally {
    unlisten?.();
  }
}

/** Cancels the running import; resolves to false when none was running. */
export const cancelImport = (): Promise<boolean> => invoke('cancel_import');

/** Stores a tracker token in the OS keyring; it is never sent back. */
export const setToken = (
  tracker: Tracker,
  url: string,
  user: string | null,
  secret: string,
): Promise<void> => invoke('set_token', { tracker, url, user, secret });
