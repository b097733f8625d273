// Messages shown at the top of the window: errors in plain words and short confirmations.
import { writable } from 'svelte/store';
import { describeError } from '../errors';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

let counter = 0;
export const notices = writable<Notice[]>([]);

/** Confirmations fade after this long; errors stay until dismissed. */
export const INFO_MS = 6000;

export function notify(text: string, kind: Notice['kind'] = 'info'): number {
  const id = ++counter;
  notices.update((list) => [...list.slice(-4), { id, kind, text }]);
  if (kind === 'info') setTimeout(() => dismiss(id), INFO_MS);
  return id;
}

export function notifyError(error: unknown): number {
  return notify(describeError(error), 'error');
}

export function dismiss(id: number): void {
  notices.update((list) => list.filter((n) => n.id !== id));
}

export function clearNotices(): void {
  notices.set([]);
}
