import { describe, expect, it } from 'vitest';
import { intentFor, isTyping, keyToAction } from './keyboard';

describe('keyToAction', () => {
  it('maps digits 0-4 to levels and nothing else', () => {
    for (const level of [0, 1, 2, 3, 4]) expect(keyToAction({ key: String(level) })).toEqual({ kind: 'level', level });
    expect(keyToAction({ key: '5' })).toBeNull();
    expect(keyToAction({ key: '9' })).toBeNull();
  });

  it('maps n to N/A, arrows to moves, a to accepting the votes and p to parking', () => {
    expect(keyToAction({ key: 'n' })).toEqual({ kind: 'not_applicable' });
    expect(keyToAction({ key: 'N' })).toEqual({ kind: 'not_applicable' });
    expect(keyToAction({ key: 'ArrowRight' })).toEqual({ kind: 'next' });
    expect(keyToAction({ key: 'ArrowLeft' })).toEqual({ kind: 'previous' });
    expect(keyToAction({ key: 'PageDown' })).toEqual({ kind: 'next' });
    expect(keyToAction({ key: 'ArrowUp' })).toEqual({ kind: 'row_up' });
    expect(keyToAction({ key: 'ArrowDown' })).toEqual({ kind: 'row_down' });
    expect(keyToAction({ key: 'a' })).toEqual({ kind: 'accept_votes' });
    expect(keyToAction({ key: 'p' })).toEqual({ kind: 'park' });
    expect(keyToAction({ key: 'x' })).toBeNull();
  });

  it('leaves shortcuts with modifiers to the system', () => {
    expect(keyToAction({ key: '1', ctrlKey: true })).toBeNull();
    expect(keyToAction({ key: 'n', metaKey: true })).toBeNull();
    expect(keyToAction({ key: 'ArrowRight', altKey: true })).toBeNull();
  });

  it('ignores keys typed into a field', () => {
    expect(keyToAction({ key: '3', target: { tagName: 'INPUT' } as unknown as EventTarget })).toBeNull();
    expect(keyToAction({ key: 'n', target: { tagName: 'textarea' } as unknown as EventTarget })).toBeNull();
    expect(isTyping({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('intentFor', () => {
  it('records each participant in turn, then the consensus', () => {
    expect(intentFor({ kind: 'level', level: 1 }, 0, 3)).toEqual({ kind: 'vote', participant: 0, value: { level: 1 }, nextRow: 1 });
    expect(intentFor({ kind: 'level', level: 3 }, 2, 3)).toEqual({ kind: 'vote', participant: 2, value: { level: 3 }, nextRow: 3 });
    expect(intentFor({ kind: 'level', level: 2 }, 3, 3)).toEqual({ kind: 'consensus', level: 2 });
  });

  it('votes N/A for a participant but asks for a justification on the consensus', () => {
    expect(intentFor({ kind: 'not_applicable' }, 1, 2)).toEqual({ kind: 'vote', participant: 1, value: 'not_applicable', nextRow: 2 });
    expect(intentFor({ kind: 'not_applicable' }, 2, 2)).toEqual({ kind: 'open_na' });
  });

  it('goes straight to the consensus when nobody takes part', () => {
    expect(intentFor({ kind: 'level', level: 4 }, 0, 0)).toEqual({ kind: 'consensus', level: 4 });
  });

  it('keeps the highlighted row in range and moves between questions', () => {
    expect(intentFor({ kind: 'row_up' }, 0, 2)).toEqual({ kind: 'row', row: 0 });
    expect(intentFor({ kind: 'row_down' }, 2, 2)).toEqual({ kind: 'row', row: 2 });
    expect(intentFor({ kind: 'level', level: 0 }, 9, 2)).toEqual({ kind: 'consensus', level: 0 });
    expect(intentFor({ kind: 'next' }, 0, 2)).toEqual({ kind: 'question', delta: 1 });
    expect(intentFor({ kind: 'previous' }, 0, 2)).toEqual({ kind: 'question', delta: -1 });
  });
});
