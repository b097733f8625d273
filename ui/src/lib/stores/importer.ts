// One tracker import at a time: its progress, its outcome, and cancelling it.
import { writable } from 'svelte/store';
import type { Backend } from '../backend';
import type { ImportProgress, ImportRequest, ImportSummary } from '../types';
import { describeError } from '../errors';

export interface ImportState {
  running: boolean;
  cancelling: boolean;
  progress: ImportProgress | null;
  summary: ImportSummary | null;
  error: string | null;
}

export const idleImport: ImportState = { running: false, cancelling: false, progress: null, summary: null, error: null };

/** How far along the current phase is, 0..1, or null when its total is not known. */
export function progressShare(progress: ImportProgress | null): number | null {
  if (!progress || !progress.total) return null;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

export function progressLabel(progress: ImportProgress | null): string {
  if (!progress) return 'Starting…';
  const phase = progress.phase.charAt(0).toUpperCase() + progress.phase.slice(1);
  return progress.total ? `${phase}: ${progress.done} of ${progress.total}` : `${phase}: ${progress.done}`;
}

export function importStore(api: Pick<Backend, 'importEvidence' | 'cancelImport'>) {
  const state = writable<ImportState>(idleImport);
  let running = false;

  async function start(request: ImportRequest): Promise<ImportSummary | null> {
    if (running) return null;
    running = true;
    state.set({ ...idleImport, running: true });
    try {
      const summary = await api.importEvidence(request, (progress) => state.update((s) => ({ ...s, progress })));
      state.set({ ...idleImport, summary });
      return summary;
    } catch (error) {
      state.set({ ...idleImport, error: describeError(error) });
      return null;
    } finally {
      running = false;
    }
  }

  async function cancel(): Promise<void> {
    if (!running) return;
    state.update((s) => ({ ...s, cancelling: true }));
    try {
      await api.cancelImport();
    } catch (error) {
      state.update((s) => ({ ...s, cancelling: false, error: describeError(error) }));
    }
  }

  return { subscribe: state.subscribe, start, cancel };
}
