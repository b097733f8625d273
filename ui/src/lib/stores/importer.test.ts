import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { importStore, progressLabel, progressShare } from './importer';
import type { ImportProgress, ImportSummary } from '../types';

const request = { target: { tracker: 'mlflow' as const, url: 'http://127.0.0.1:5000', experiment: 'fraud' }, auth: 'none' as const, user: null, full: false, scope: null };
const summary = { import: { content_hash: 'ab' }, fetched_runs: 3, warnings: [] } as unknown as ImportSummary;

describe('import progress', () => {
  it('gives a share only when the total is known', () => {
    expect(progressShare(null)).toBeNull();
    expect(progressShare({ phase: 'runs', done: 5, total: null })).toBeNull();
    expect(progressShare({ phase: 'models', done: 1, total: 4 })).toBe(0.25);
    expect(progressShare({ phase: 'models', done: 9, total: 4 })).toBe(1);
  });

  it('labels the phase', () => {
    expect(progressLabel(null)).toBe('Starting…');
    expect(progressLabel({ phase: 'runs', done: 120, total: null })).toBe('Runs: 120');
    expect(progressLabel({ phase: 'artifacts', done: 2, total: 7 })).toBe('Artifacts: 2 of 7');
  });
});

describe('importStore', () => {
  it('reports progress while running and the summary at the end', async () => {
    let report: (p: ImportProgress) => void = () => {};
    let finish: (s: ImportSummary) => void = () => {};
    const store = importStore({
      importEvidence: (_r, onProgress) => {
        report = onProgress ?? (() => {});
        return new Promise((resolve) => (finish = resolve));
      },
      cancelImport: async () => false,
    });
    const done = store.start(request);
    expect(get(store).running).toBe(true);
    expect(await store.start(request)).toBeNull();
    report({ phase: 'runs', done: 10, total: null });
    expect(get(store).progress).toEqual({ phase: 'runs', done: 10, total: null });
    finish(summary);
    expect(await done).toBe(summary);
    expect(get(store)).toMatchObject({ running: false, summary, error: null });
  });

  it('turns a failure or a cancel into a plain sentence', async () => {
    let cancelled = false;
    const store = importStore({
      importEvidence: () => new Promise((_resolve, reject) => setTimeout(() => reject({ code: 'cancelled', message: '' }), 5)),
      cancelImport: async () => (cancelled = true),
    });
    const done = store.start(request);
    await store.cancel();
    expect(cancelled).toBe(true);
    expect(await done).toBeNull();
    expect(get(store)).toMatchObject({ running: false, error: 'The import was cancelled; the earlier evidence is unchanged.' });
  });

  it('does nothing on cancel when idle', async () => {
    let cancelled = false;
    const store = importStore({ importEvidence: async () => summary, cancelImport: async () => (cancelled = true) });
    await store.cancel();
    expect(cancelled).toBe(false);
  });
});
