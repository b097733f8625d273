import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { elapsed, emptyWorkshop, moveQuestion, park, workshopStore, startTimer, stopTimer, unpark, type Storage } from './workshop';

function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('area timers', () => {
  it('count time per area and switch with the area on screen', () => {
    let s = startTimer(emptyWorkshop(), 'gov', 1_000);
    expect(elapsed(s, 'gov', 4_000)).toBe(3_000);
    s = startTimer(s, 'cicd', 5_000);
    expect(elapsed(s, 'gov', 9_000)).toBe(4_000);
    expect(elapsed(s, 'cicd', 9_000)).toBe(4_000);
    s = startTimer(s, 'gov', 10_000);
    s = stopTimer(s, 12_000);
    expect(s.running).toBeNull();
    expect(s.spent).toEqual({ gov: 6_000, cicd: 5_000 });
  });

  it('keep running when the same area starts again', () => {
    const s = startTimer(emptyWorkshop(), 'gov', 1_000);
    expect(startTimer(s, 'gov', 2_000)).toBe(s);
    expect(stopTimer(emptyWorkshop(), 5)).toEqual(emptyWorkshop());
  });
});

describe('moving through the questions', () => {
  it('stays within the questions and resets the row on a new question', () => {
    let s = { ...emptyWorkshop(), row: 2 };
    s = moveQuestion(s, 1, 3);
    expect(s).toMatchObject({ index: 1, row: 0 });
    expect(moveQuestion(s, 5, 3).index).toBe(2);
    expect(moveQuestion(s, -5, 3).index).toBe(0);
    const last = { ...emptyWorkshop(), index: 2, row: 1 };
    expect(moveQuestion(last, 1, 3)).toBe(last);
  });
});

describe('parking lot', () => {
  it('parks trimmed topics with fresh ids and removes them', () => {
    let s = park(emptyWorkshop(), '  Who owns the feature store? ', 'GOV-1');
    s = park(s, '   ', 'GOV-1');
    s = park(s, 'Budget for GPUs', 'PLT-2');
    expect(s.parked).toEqual([
      { id: 1, text: 'Who owns the feature store?', question: 'GOV-1' },
      { id: 2, text: 'Budget for GPUs', question: 'PLT-2' },
    ]);
    expect(unpark(s, 1).parked.map((p) => p.id)).toEqual([2]);
  });
});

describe('workshop store', () => {
  it('saves the state per assessment and restores it', () => {
    const storage = memoryStorage();
    const first = workshopStore('a1', storage);
    first.update((s) => park({ ...s, index: 4, spent: { gov: 1000 } }, 'Follow up', 'GOV-2'));
    const again = get(workshopStore('a1', storage));
    expect(again.index).toBe(4);
    expect(again.spent).toEqual({ gov: 1000 });
    expect(again.parked).toHaveLength(1);
    expect(get(workshopStore('other', storage)).index).toBe(0);
  });

  it('starts afresh from damaged saved state', () => {
    const storage = memoryStorage();
    storage.setItem('assay.workshop.a1', '{not json');
    expect(get(workshopStore('a1', storage))).toEqual(emptyWorkshop());
    storage.setItem('assay.workshop.a2', JSON.stringify({ index: -3, parked: 'x' }));
    expect(get(workshopStore('a2', storage))).toEqual(emptyWorkshop());
  });

  it('works without any storage', () => {
    expect(get(workshopStore('a1', undefined)).index).toBe(0);
  });
});
