// Turns whatever a command threw into a sentence a person can act on.
import type { ErrorCode } from './types';
import { isIpcError } from '../ipc/invoke';

export { isIpcError };

/** A sentence per code; the compiler asks for one when the Rust side adds a code. */
const sentences: Record<ErrorCode, string> = {
  assessment_not_found: 'That assessment no longer exists.',
  ambiguous_id: 'That id matches more than one assessment.',
  item_not_found: 'That register item no longer exists.',
  unknown_question: 'That question is not in the question bank.',
  unknown_area: 'That area is not in the question bank.',
  unknown_participant: 'That person does not take part in this assessment.',
  duplicate_participant: 'Someone with that name already takes part.',
  bank_mismatch: 'This assessment was taken with a question bank this version of Assay does not include.',
  invalid_input: 'Please check what you entered.',
  invalid_bank: 'The question bank could not be read.',
  unknown_bank: 'No question bank with that name and version is stored or built in.',
  bank_conflict: 'Another question bank is already stored under that name and version.',
  assessment_finalised: 'This assessment is finalised, so its answers and votes cannot change. Reopen it first.',
  io: 'A file could not be read or written.',
  invalid_bundle: 'The bundle was refused and nothing was imported.',
  bundle_too_new: 'The bundle was written by a newer version of Assay.',
  keyring_unavailable: 'The system keyring could not be reached, so the token was not saved.',
  tampered: 'The file does not match the data it was made from.',
  report: 'The report could not be produced.',
  not_a_report: 'That file is not an Assay report.',
  not_a_database: 'The database file is not an Assay database.',
  database_too_new: 'The database was written by a newer version of Assay.',
  disk_full: 'The disk is full, so nothing was saved.',
  write_failed: 'The database file could not be written (a full disk or a failing device); nothing was saved.',
  database_busy: 'The database is busy; try again in a moment.',
  storage: 'The database could not be read or written.',
  cancelled: 'The import was cancelled; the earlier evidence is unchanged.',
  auth_failed: 'The tracker refused the credentials.',
  host_rejected: 'That tracker address is not allowed.',
  not_found: 'The tracker has no such project or experiment.',
  rate_limited: 'The tracker asked us to slow down; try again shortly.',
  server_error: 'The tracker had an internal error.',
  timeout: 'The tracker did not answer in time.',
  bad_response: 'The tracker sent an answer Assay could not read.',
  too_large: 'The tracker sent more data than Assay accepts in one answer.',
  network: 'The tracker could not be reached.',
  tls: 'A secure connection to the tracker could not be made (its certificate was refused).',
  invalid_config: 'The tracker settings are not valid.',
  not_an_export: 'That file is not one of this assessment’s exports, or it was moved.',
  import_running: 'An import is already running; wait for it or cancel it.',
  internal: 'Something went wrong inside Assay.',
};

/** A first sentence from the code, then the details from the message when they add anything. */
export function describeError(error: unknown): string {
  if (isIpcError(error)) {
    // A code this build does not know (a newer shell) still gets a sentence.
    const lead = (sentences as Partial<Record<string, string>>)[error.code] ?? 'Something went wrong.';
    const detail = error.message.trim();
    if (!detail) return lead;
    const plain = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    if (plain(lead).includes(plain(detail))) return lead;
    // A sentence starts with a capital, unless it starts with a name (a file, an id) that must
    // be shown as it is.
    const firstWord = detail.split(/\s/, 1)[0];
    const isName = /[./@_-]/.test(firstWord) || /\d/.test(firstWord);
    const capitalised = isName ? detail : detail.charAt(0).toUpperCase() + detail.slice(1);
    return `${lead} ${capitalised}${/[.!?]$/.test(capitalised) ? '' : '.'}`;
  }
  if (error instanceof Error && error.message) return `Something went wrong: ${error.message}`;
  if (typeof error === 'string' && error.trim()) return error.trim();
  return 'Something went wrong.';
}
