// Messages shown at the top of the window: errors in plain words and short confirmations.
import { writable } from 'svelte/store';
import { describeError } from '../errors';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** When it was shown (ms since the epoch). */
  at: number;
}

let counter = 0;
export const notices = writable<Notice[]>([]);

/** Confirmations fade after this long; errors stay until dismissed. */
export const INFO_MS = 6000;

export function notify(text: string, kind: Notice['kind'] = 'info', now = Date.now()): number {
  const id = ++counter;
  notices.update((list) => [...list.slice(-4), { id, kind, text, at: now }]);
  if (kind === 'info') setTimeout(() => dismiss(id), INFO_MS);
  return id;
}

export function notifyError(error: unknown): number {
  return notify(describeError(error), 'error');
}

export function dismiss(id: number): void {
  notices.update((list) => list.filter((n) => n.id !== id));
}

/**
 * On moving to another screen: confirmations already read (shown `readMs` ago or more) go, so
 * they do not pile up above the next screen; a confirmation of the move itself and errors stay.
 */
export function pruneRead(now = Date.now(), readMs = 1500): void {
  notices.update((list) => list.filter((n) => n.kind === 'error' || now - n.at < readMs));
}

export function clearNotices(): void {
  notices.set([]);
}
