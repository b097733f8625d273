// Everything the screens ask of the desktop shell: the generated command wrappers, with the
// import taking a progress listener.
import type { Commands } from '../ipc';
import type { ImportProgress, ImportRequest, ImportSummary } from './types';

export type Backend = Omit<Commands, 'importEvidence'> & {
  importEvidence(request: ImportRequest, onProgress?: (p: ImportProgress) => void): Promise<ImportSummary>;
};
