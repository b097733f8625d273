// The facilitator view's keyboard: 0-4 set a level for the selected row, n marks it N/A,
// left/right move between questions, up/down between participants and the consensus.
export type KeyAction =
  | { kind: 'level'; level: number }
  | { kind: 'not_applicable' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'row_up' }
  | { kind: 'row_down' }
  | { kind: 'accept_votes' }
  | { kind: 'park' };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}

const editable = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function isTyping(target: EventTarget | null | undefined): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as { tagName?: string; isContentEditable?: boolean };
  return (el.tagName !== undefined && editable.has(el.tagName.toUpperCase())) || el.isContentEditable === true;
}

export function keyToAction(event: KeyInput): KeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return null;
  const key = event.key;
  if (/^[0-4]$/.test(key)) return { kind: 'level', level: Number(key) };
  switch (key) {
    case 'n':
    case 'N':
      return { kind: 'not_applicable' };
    case 'ArrowRight':
    case 'PageDown':
      return { kind: 'next' };
    case 'ArrowLeft':
    case 'PageUp':
      return { kind: 'previous' };
    case 'ArrowUp':
      return { kind: 'row_up' };
    case 'ArrowDown':
      return { kind: 'row_down' };
    case 'a':
    case 'A':
      return { kind: 'accept_votes' };
    case 'p':
    case 'P':
      return { kind: 'park' };
    default:
      return null;
  }
}

/** What a key does on the facilitator view, given the highlighted row. */
export type KeyIntent =
  | { kind: 'vote'; participant: number; value: { level: number } | 'not_applicable'; nextRow: number }
  | { kind: 'consensus'; level: number }
  | { kind: 'open_na' }
  | { kind: 'question'; delta: number }
  | { kind: 'row'; row: number }
  | { kind: 'accept_votes' }
  | { kind: 'park' };

/**
 * Rows are the participants (0..participants-1) and then the consensus (row `participants`).
 * A vote highlights the next row, so that 0-4 typed in turn record everyone's vote and then
 * the consensus.
 */
export function intentFor(action: KeyAction, row: number, participants: number): KeyIntent {
  const consensus = participants;
  const current = Math.min(Math.max(row, 0), consensus);
  const next = Math.min(current + 1, consensus);
  switch (action.kind) {
    case 'level':
      return current < consensus
        ? { kind: 'vote', participant: current, value: { level: action.level }, nextRow: next }
        : { kind: 'consensus', level: action.level };
    case 'not_applicable':
      return current < consensus
        ? { kind: 'vote', participant: current, value: 'not_applicable', nextRow: next }
        : { kind: 'open_na' };
    case 'next':
      return { kind: 'question', delta: 1 };
    case 'previous':
      return { kind: 'question', delta: -1 };
    case 'row_up':
      return { kind: 'row', row: Math.max(current - 1, 0) };
    case 'row_down':
      return { kind: 'row', row: next };
    case 'accept_votes':
      return { kind: 'accept_votes' };
    case 'park':
      return { kind: 'park' };
  }
}
