import { describe, expect, it } from 'vitest';
import { standInVoteSummary as summariseVotes } from './memory';
import type { VoteValue } from './types';

const levels = (...ls: number[]): VoteValue[] => ls.map((level) => ({ level }));

describe('the in-memory stand-in\'s vote summary', () => {
  it('flags a spread of two levels as dissent', () => {
    expect(summariseVotes(levels(1, 2, 2)).dissent).toBe(false);
    expect(summariseVotes(levels(1, 2, 3)).dissent).toBe(true);
    expect(summariseVotes([]).dissent).toBe(false);
  });

  it('suggests the lower median', () => {
    expect(summariseVotes(levels(3, 1, 2)).suggested).toBe(2);
    expect(summariseVotes(levels(1, 3, 2, 4)).suggested).toBe(2);
    expect(summariseVotes([]).suggested).toBeNull();
  });

  it('counts N/A votes but leaves them out of dissent', () => {
    const s = summariseVotes(['not_applicable', ...levels(2, 3)]);
    expect(s).toEqual({ votes: 3, not_applicable: 1, lowest: 2, highest: 3, suggested: 2, dissent: false });
  });
});
