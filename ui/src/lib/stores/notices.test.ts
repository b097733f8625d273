import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';
import { INFO_MS, clearNotices, dismiss, notices, notify, notifyError, pruneRead } from './notices';

describe('notices', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    clearNotices();
  });
  afterEach(() => vi.useRealTimers());

  it('lets confirmations fade but keeps errors', () => {
    notify('Saved');
    notifyError({ code: 'io', message: 'disk unplugged' });
    vi.advanceTimersByTime(INFO_MS + 1);
    expect(get(notices).map((n) => n.kind)).toEqual(['error']);
  });

  it('shows errors in plain words and dismisses them', () => {
    const id = notifyError({ code: 'duplicate_participant', message: '`Ana` already takes part in this assessment' });
    expect(get(notices)).toMatchObject([
      { id, kind: 'error', text: 'Someone with that name already takes part. `Ana` already takes part in this assessment.' },
    ]);
    dismiss(id);
    expect(get(notices)).toEqual([]);
  });

  it('drops confirmations already read when the screen changes, keeping errors and fresh ones', () => {
    notify('Created the assessment', 'info', 1_000);
    notifyError({ code: 'io', message: 'disk unplugged' });
    notify('Saved the report', 'info', 9_000);
    pruneRead(10_000);
    expect(get(notices).map((n) => n.text)).toEqual(['A file could not be read or written. Disk unplugged.', 'Saved the report']);
  });

  it('keeps only the last five', () => {
    for (let i = 0; i < 8; i++) notify(`message ${i}`);
    expect(get(notices).map((n) => n.text)).toEqual(['message 3', 'message 4', 'message 5', 'message 6', 'message 7']);
  });
});
