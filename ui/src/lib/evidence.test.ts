import { describe, expect, it } from 'vitest';
import { entityName, layoutLineage, sortBias, sourceText, thresholdText, valueText, verdict } from './evidence';
import type { BiasEvidence, ProjectEvidence } from './types';

const bias = (passed: boolean | null): BiasEvidence => ({
  run: 'r1',
  metric: 'demographic_parity_difference',
  raw_name: 'dp_diff',
  value: 0.12,
  sensitive_feature: 'sex',
  group: null,
  reference_group: null,
  threshold: { rule: 'abs_at_most', max: 0.1 },
  passed,
  tool: 'fairlearn',
  convention: 'difference_non_negative',
  bias_type: 'independence',
  source: { kind: 'artifact', detail: 'fairness/report.json' },
});

const project: ProjectEvidence = {
  source: { tracker: 'mlflow', instance: 'http://127.0.0.1:5000', project: 'fraud' },
  scopes: [],
  snapshot: {
    source: { tracker: 'mlflow', instance: 'http://127.0.0.1:5000', project: 'fraud' },
    datasets: [{ external_id: 'd1', name: 'transactions', version: null, digest: 'abcdef123456', source: null, source_type: null, context: null }],
    runs: [{ external_id: 'r1', project: 'fraud', name: 'train-7', status: 'FINISHED', code_commit: null, code_repo: null, params: {}, metrics: {}, tags: {}, started_at: null, ended_at: null }],
    model_versions: [{ external_id: 'm1', registry_name: 'fraud-model', version: '3', aliases: [], stage: null, source_run: 'r1', tags: {} }],
    edges: [],
    bias: [],
    unmatched: [],
  },
  fairness: [],
  mapping_rules: [],
  indicators: [],
  imports: [],
};

describe('evidence display', () => {
  it('writes thresholds the way the report does', () => {
    expect(thresholdText({ rule: 'abs_at_most', max: 0.1 })).toBe('|x| ≤ 0.1');
    expect(thresholdText({ rule: 'ratio_at_least', min: 0.8, two_sided: false })).toBe('≥ 0.8');
    expect(thresholdText({ rule: 'ratio_at_least', min: 0.8, two_sided: true })).toBe('between 0.8 and 1.25');
    expect(thresholdText(null)).toBe('no threshold');
  });

  it('names pass, fail and context-only metrics', () => {
    expect(verdict(bias(true))).toEqual({ text: 'Pass', tone: 'ok' });
    expect(verdict(bias(false))).toEqual({ text: 'Fail', tone: 'bad' });
    expect(verdict(bias(null)).text).toBe('Context only');
    expect(sourceText(bias(true))).toBe('report fairness/report.json');
  });

  it('shows non-finite values as such', () => {
    expect(valueText(null)).toBe('not a number');
    expect(valueText(0.123456)).toBe('0.123');
  });

  it('names lineage entities from the snapshot, falling back to the id', () => {
    expect(entityName(project, 'dataset', 'd1')).toBe('transactions @abcdef12');
    expect(entityName(project, 'run', 'r1')).toBe('train-7');
    expect(entityName(project, 'model_version', 'm1')).toBe('fraud-model v3');
    expect(entityName(project, 'run', 'zz')).toBe('zz');
  });
});

describe('layoutLineage', () => {
  it('puts datasets, runs and model versions in columns and keeps the links between shown nodes', () => {
    const withEdges: ProjectEvidence = {
      ...project,
      snapshot: {
        ...project.snapshot,
        edges: [
          { kind: 'used_by', from: { kind: 'dataset', external_id: 'd1' }, to: { kind: 'run', external_id: 'r1' }, context: null },
          { kind: 'produced', from: { kind: 'run', external_id: 'r1' }, to: { kind: 'model_version', external_id: 'm1' }, context: null },
          { kind: 'produced', from: { kind: 'run', external_id: 'gone' }, to: { kind: 'model_version', external_id: 'm1' }, context: null },
        ],
      },
    };
    const layout = layoutLineage(withEdges, 10, 100, 20);
    expect(layout.nodes.map((n) => [n.key, n.x, n.y])).toEqual([
      ['dataset:d1', 0, 0],
      ['run:r1', 100, 0],
      ['model_version:m1', 200, 0],
    ]);
    expect(layout.edges.map((e) => e.kind)).toEqual(['used_by', 'produced']);
    expect(layout.hidden).toBe(0);
    expect(layoutLineage(withEdges, 0).hidden).toBe(3);
  });
});

describe('sortBias', () => {
  it('puts failing metrics first, then passing, then context', () => {
    const rows = [bias(null), bias(true), { ...bias(false), run: 'r2' }, bias(false)];
    expect(sortBias(rows).map((b) => [b.passed, b.run])).toEqual([
      [false, 'r1'],
      [false, 'r2'],
      [true, 'r1'],
      [null, 'r1'],
    ]);
  });
});
