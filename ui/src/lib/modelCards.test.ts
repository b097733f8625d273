import { describe, expect, it } from 'vitest';
import { isMarked, modelCardOrder, versionLabel } from './modelCards';
import type { ModelVersion } from './types';

function version(registry_name: string, v: string, aliases: string[] = [], stage: string | null = null): ModelVersion {
  return { external_id: `${registry_name}/${v}`, registry_name, version: v, aliases, stage, source_run: null, tags: {} };
}

describe('model card list', () => {
  it('puts aliased and staged versions first, then by model and newest version', () => {
    const ordered = modelCardOrder([
      version('fraud', '2'),
      version('fraud', '10'),
      version('churn', '1'),
      version('fraud', '1', ['champion']),
      version('churn', '4', [], 'Staging'),
      version('fraud', '9'),
    ]);
    expect(ordered.map((m) => m.external_id)).toEqual(['churn/4', 'fraud/1', 'churn/1', 'fraud/10', 'fraud/9', 'fraud/2']);
  });

  it('reads W&B versions (v3) as numbers and keeps other text after them', () => {
    const ordered = modelCardOrder([version('m', 'v3'), version('m', 'latest'), version('m', 'v12')]);
    expect(ordered.map((m) => m.version)).toEqual(['v12', 'v3', 'latest']);
  });

  it('does not reorder the list it is given', () => {
    const list = [version('b', '1'), version('a', '1')];
    modelCardOrder(list);
    expect(list.map((m) => m.registry_name)).toEqual(['b', 'a']);
  });

  it('marks versions with an alias or a stage', () => {
    expect(isMarked(version('m', '1'))).toBe(false);
    expect(isMarked(version('m', '1', ['prod']))).toBe(true);
    expect(isMarked(version('m', '1', [], 'Production'))).toBe(true);
  });

  it('writes the version with one leading v', () => {
    expect(versionLabel('3')).toBe('v3');
    expect(versionLabel('v3')).toBe('v3');
    expect(versionLabel(' V7 ')).toBe('v7');
  });
});
