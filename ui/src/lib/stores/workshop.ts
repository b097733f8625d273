// The facilitator's place in the workshop: which question is on screen, which row the keys act on, the time
// spent per area and the parking lot. Timers and the parking lot are kept on this machine
// (per assessment) so that a reload in the middle of a workshop loses nothing.
import { writable, type Writable } from 'svelte/store';

export interface ParkedTopic {
  id: number;
  text: string;
  question: string;
}

export interface WorkshopState {
  index: number;
  /** The participant row the keys act on; `participants.length` is the consensus row. */
  row: number;
  /** Milliseconds spent per area, not counting the running stretch. */
  spent: Record<string, number>;
  /** The area whose timer runs, and since when (epoch ms). */
  running: { area: string; since: number } | null;
  parked: ParkedTopic[];
}

export interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function emptyWorkshop(): WorkshopState {
  return { index: 0, row: 0, spent: {}, running: null, parked: [] };
}

export function elapsed(state: WorkshopState, area: string, now: number): number {
  const base = state.spent[area] ?? 0;
  return state.running?.area === area ? base + Math.max(0, now - state.running.since) : base;
}

/** Stops the running timer, adding its stretch to its area. */
export function stopTimer(state: WorkshopState, now: number): WorkshopState {
  if (!state.running) return state;
  const { area, since } = state.running;
  return { ...state, spent: { ...state.spent, [area]: (state.spent[area] ?? 0) + Math.max(0, now - since) }, running: null };
}

export function startTimer(state: WorkshopState, area: string, now: number): WorkshopState {
  if (state.running?.area === area) return state;
  return { ...stopTimer(state, now), running: { area, since: now } };
}

export function moveQuestion(state: WorkshopState, delta: number, count: number): WorkshopState {
  const index = Math.min(Math.max(state.index + delta, 0), Math.max(count - 1, 0));
  return index === state.index ? state : { ...state, index, row: 0 };
}

export function park(state: WorkshopState, text: string, question: string): WorkshopState {
  const trimmed = text.trim();
  if (!trimmed) return state;
  const id = state.parked.reduce((m, p) => Math.max(m, p.id), 0) + 1;
  return { ...state, parked: [...state.parked, { id, text: trimmed, question }] };
}

export function unpark(state: WorkshopState, id: number): WorkshopState {
  return { ...state, parked: state.parked.filter((p) => p.id !== id) };
}

function restore(raw: string | null): WorkshopState {
  if (!raw) return emptyWorkshop();
  try {
    const data = JSON.parse(raw) as Partial<WorkshopState>;
    return {
      index: Number.isInteger(data.index) && (data.index ?? 0) >= 0 ? (data.index as number) : 0,
      row: 0,
      spent: typeof data.spent === 'object' && data.spent !== null ? data.spent : {},
      running: null,
      parked: Array.isArray(data.parked) ? data.parked.filter((p) => typeof p?.text === 'string') : [],
    };
  } catch {
    return emptyWorkshop();
  }
}

/** The workshop state of one assessment, saved to `storage` on every change. */
export function workshopStore(assessment: string, storage: Storage | undefined = globalThis.localStorage): Writable<WorkshopState> {
  const key = `assay.workshop.${assessment}`;
  let initial: WorkshopState;
  try {
    initial = restore(storage?.getItem(key) ?? null);
  } catch {
    initial = emptyWorkshop();
  }
  const store = writable(initial);
  store.subscribe((state) => {
    try {
      const saved = stopTimer(state, Date.now());
      storage?.setItem(key, JSON.stringify({ index: saved.index, spent: saved.spent, parked: saved.parked }));
    } catch {
      // Not being able to save this must not stop the workshop.
    }
  });
  return store;
}
