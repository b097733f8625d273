import { describe, expect, it } from 'vitest';
import { count, formatDuration, formatPercent, formatRating, formatScore, formatStatus, formatTime, formatVote, groupByScope, reportFileName, shortHash, sparkline } from './format';
import type { AssessmentSummary } from './types';

function summary(id: string, scope: string, date: string, level: number | null = 1): AssessmentSummary {
  return { id, scope, title: id, assessed_on: date, bank_version: '1', participants: 0, answered: 0, questions: 47, headline_level: level, overall_mean: null };
}

describe('formatting', () => {
  it('shows scores with one decimal and a dash when absent', () => {
    expect(formatScore(2.25)).toBe('2.3');
    expect(formatScore(0)).toBe('0.0');
    expect(formatScore(null)).toBe('–');
    expect(formatScore(undefined)).toBe('–');
    expect(formatScore(Number.NaN)).toBe('–');
  });

  it('names ratings and votes', () => {
    expect(formatRating(null)).toBe('Not answered');
    expect(formatRating({ kind: 'level', level: 3 })).toBe('Level 3');
    expect(formatRating({ kind: 'not_applicable', justification: 'batch only' })).toBe('N/A');
    expect(formatVote({ level: 0 })).toBe('0');
    expect(formatVote('not_applicable')).toBe('N/A');
    expect(formatVote(undefined)).toBe('–');
  });

  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
  });

  it('shortens hashes, percentages and statuses', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abc')).toBe('abc');
    expect(formatPercent(0.456)).toBe('46%');
    expect(formatPercent(null)).toBe('–');
    expect(formatStatus('risk_accepted')).toBe('Risk accepted');
  });

  it('groups assessments by scope, scopes by name and each oldest first', () => {
    const groups = groupByScope([
      summary('b2', 'Fraud', '2026-06-01'),
      summary('a1', 'Churn', '2026-01-01'),
      summary('b1', 'Fraud', '2026-03-01'),
    ]);
    expect(groups.map((g) => g.scope)).toEqual(['Churn', 'Fraud']);
    expect(groups[1].assessments.map((a) => a.id)).toEqual(['b1', 'b2']);
  });

  it('draws sparklines scaled to the height, skipping unknown values', () => {
    expect(sparkline([], 100, 20)).toBe('');
    expect(sparkline([0, 2, 4], 100, 20)).toBe('0,20 50,10 100,0');
    expect(sparkline([1, null, 2], 10, 10, 2)).toBe('0,5 10,0');
    expect(sparkline([3], 10, 10, 4)).toBe('5,2.5');
  });

  it('makes safe report file names', () => {
    expect(reportFileName('Fraud models / EU', '2026-05-01', 'pdf')).toBe('fraud-models-eu-2026-05-01.pdf');
    expect(reportFileName('<script>', '2026-05-01', 'html')).toBe('script-2026-05-01.html');
    expect(reportFileName('···', '2026-05-01', 'html')).toBe('assessment-2026-05-01.html');
  });
});

describe('formatTime', () => {
  it('keeps unreadable timestamps as they are', () => {
    expect(formatTime('yesterday')).toBe('yesterday');
  });

  it('shows a readable date and time', () => {
    const text = formatTime('2026-09-14T09:00:03Z', 'en-GB');
    expect(text).toMatch(/2026/);
    expect(text).toMatch(/Sept?/);
  });
});

describe('count', () => {
  it('puts the noun in the plural for every number but one', () => {
    expect(count(1, 'dataset')).toBe('1 dataset');
    expect(count(0, 'run')).toBe('0 runs');
    expect(count(2, 'model version')).toBe('2 model versions');
  });
});
