// The vote summary the facilitator sees, computed as the Rust side does (VoteSummary::of):
// the suggested consensus is the lower median, and a spread of two levels or more is dissent.
import type { VoteSummary, VoteValue } from './types';

export const DISSENT_SPREAD = 2;

export function summariseVotes(values: VoteValue[]): VoteSummary {
  const levels = values.flatMap((v) => (v === 'not_applicable' ? [] : [v.level])).sort((a, b) => a - b);
  const lowest = levels.length ? levels[0] : null;
  const highest = levels.length ? levels[levels.length - 1] : null;
  return {
    votes: values.length,
    not_applicable: values.length - levels.length,
    lowest,
    highest,
    suggested: levels.length ? levels[Math.floor((levels.length - 1) / 2)] : null,
    dissent: lowest !== null && highest !== null && highest - lowest >= DISSENT_SPREAD,
  };
}
