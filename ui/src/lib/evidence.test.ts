import { describe, expect, it } from 'vitest';
import { entityName, layoutLineage, verdictTone } from './evidence';
import type { ProjectEvidence } from './types';

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
  labels: {
    names: { dataset: { d1: 'transactions @abcdef123456' }, run: { r1: 'train-7' }, model_version: { m1: 'fraud-model v3' } },
    lineage: [],
    bias: [],
  },
};

describe('evidence display', () => {
  it('shows the names the API gave, falling back to the id', () => {
    expect(entityName(project, 'dataset', 'd1')).toBe('transactions @abcdef123456');
    expect(entityName(project, 'run', 'r1')).toBe('train-7');
    expect(entityName(project, 'model_version', 'm1')).toBe('fraud-model v3');
    expect(entityName(project, 'run', 'zz')).toBe('zz');
  });

  it('gives pass, fail and context-only verdicts their badge', () => {
    expect(verdictTone(true)).toBe('ok');
    expect(verdictTone(false)).toBe('bad');
    expect(verdictTone(null)).toBe('');
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
