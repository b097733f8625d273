// The only module that talks to the desktop shell. The command wrappers and their types are
// generated from the Rust commands (./bindings, scripts/check-ipc-types.sh); this adds what a
// generated wrapper cannot: listening to an import's progress events while it runs.
import { listen } from '@tauri-apps/api/event';
import type { ErrorPayload, ImportProgress, ImportRequest, ImportSummary } from './bindings';
import { commands, IMPORT_PROGRESS_EVENT } from './bindings/commands';

export type * from './bindings';
export { commands, IMPORT_PROGRESS_EVENT };
export type { Commands } from './bindings/commands';
export { isIpcError } from './invoke';

/** What every command rejects with: a stable code and a sentence. */
export type IpcError = ErrorPayload;

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
    return await commands.importEvidence(request);
  } finally {
    unlisten?.();
  }
}
