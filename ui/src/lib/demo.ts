// Sample data for looking at the screens in a plain browser (`npm run dev`, then `?demo`).
import type { MemoryBackend } from './memory';
import type { BiasEvidence, BiasLabel } from './types';

export async function seedDemo(api: MemoryBackend): Promise<void> {
  const targets = { default: 3, areas: {}, questions: {} };
  const spring = await api.createAssessment({
    scope: 'Fraud models',
    title: 'Spring review',
    assessed_on: '2026-03-02',
    participants: [],
    targets,
    start_from: null,
  });
  await api.updateAnswer(spring.id, 'GOV-1', { rating: { kind: 'level', level: 1 } });
  const a = await api.createAssessment({
    scope: 'Fraud models',
    title: 'Autumn review',
    assessed_on: '2026-09-14',
    participants: [
      { name: 'Ana', role: 'Facilitator' },
      { name: 'Bo', role: 'ML engineer' },
      { name: 'Chen', role: 'Data scientist' },
    ],
    targets,
    start_from: null,
  });
  const [ana, bo, chen] = a.participants;
  await api.castVote(a.id, 'ORG-1', ana.id, { level: 1 });
  await api.castVote(a.id, 'ORG-1', bo.id, { level: 3 });
  await api.castVote(a.id, 'ORG-1', chen.id, { level: 2 });
  await api.updateAnswer(a.id, 'ORG-1', { accept_votes: true, note: 'Owners exist for two of five models.' });
  await api.updateAnswer(a.id, 'GOV-1', { rating: { kind: 'level', level: 2 }, confidence: 'medium' });
  await api.updateAnswer(a.id, 'CI-1', { rating: { kind: 'not_applicable', justification: 'No training pipeline yet' } });
  await api.itemFromGap(a.id, 'ORG-1');
  await api.createAssessment({ scope: 'Search ranking', title: '', assessed_on: '2026-08-01', participants: [], targets, start_from: null });
  const source = { tracker: 'mlflow' as const, instance: 'http://127.0.0.1:5000', project: 'fraud-detection' };
  const metric = (run: string, name: string, value: number, passed: boolean | null): BiasEvidence => ({
    run,
    metric: name,
    raw_name: name,
    value,
    sensitive_feature: 'sex',
    group: null,
    reference_group: null,
    threshold: passed === null ? null : name.endsWith('ratio') ? { rule: 'ratio_at_least', min: 0.8, two_sided: false } : { rule: 'abs_at_most', max: 0.1 },
    passed,
    tool: 'fairlearn',
    convention: 'difference_non_negative',
    bias_type: 'independence',
    source: { kind: 'metric' },
  });
  const label = (b: BiasEvidence, value_text: string, threshold_text: string, verdict_text: string): BiasLabel => ({
    ...b,
    run_name: 'xgb-tuned',
    metric_text: b.metric.replace(/_/g, ' '),
    feature_text: b.sensitive_feature ?? '-',
    value_text,
    threshold_text,
    verdict_text,
    source_text: 'run metric',
  });
  api.addEvidence({
    source,
    scopes: ['Fraud models'],
    snapshot: {
      source,
      datasets: [{ external_id: 'd1', name: 'transactions-2026q2', version: '3', digest: '9f2c1ab07e', source: 's3://data/tx', source_type: 's3', context: 'training' }],
      runs: [
        { external_id: 'r1', project: 'fraud-detection', name: 'xgb-baseline', status: 'FINISHED', code_commit: '1a2b3c4', code_repo: null, params: {}, metrics: {}, tags: {}, started_at: null, ended_at: null },
        { external_id: 'r2', project: 'fraud-detection', name: 'xgb-tuned', status: 'FINISHED', code_commit: null, code_repo: null, params: {}, metrics: {}, tags: {}, started_at: null, ended_at: null },
      ],
      model_versions: [{ external_id: 'm1', registry_name: 'fraud-model', version: '4', aliases: ['champion'], stage: null, source_run: 'r2', tags: {} }],
      edges: [
        { kind: 'used_by', from: { kind: 'dataset', external_id: 'd1' }, to: { kind: 'run', external_id: 'r1' }, context: 'training' },
        { kind: 'used_by', from: { kind: 'dataset', external_id: 'd1' }, to: { kind: 'run', external_id: 'r2' }, context: 'training' },
        { kind: 'produced', from: { kind: 'run', external_id: 'r2' }, to: { kind: 'model_version', external_id: 'm1' }, context: null },
      ],
      bias: [
        metric('r2', 'demographic_parity_difference', 0.04, true),
        metric('r2', 'equalized_odds_difference', 0.17, false),
        metric('r2', 'demographic_parity_ratio', 0.86, true),
        metric('r2', 'selection_rate', 0.21, null),
      ],
      unmatched: [],
    },
    fairness: [],
    mapping_rules: [],
    indicators: [
      { id: 'runs_with_code_commit', title: 'Runs with a code commit', numerator: 1, denominator: 2, share: 0.5, questions: ['CI-1'], suggested_level: 2, basis: '1 of 2 runs record a commit' },
    ],
    imports: [
      { id: 1, source, started_at: '2026-09-14T09:00:00Z', finished_at: '2026-09-14T09:00:03Z', incremental: false, counts: { new: 4, changed: 0, unchanged: 0, datasets: 1, runs: 2, model_versions: 1, edges: 3, bias_metrics: 4, unmatched: 0 }, content_hash: 'c0ffee'.repeat(10) + 'abcd', watermark: null },
    ],
    // As the API words them (assay_evidence::display); written out for this sample.
    labels: {
      names: { dataset: { d1: 'transactions-2026q2 3' }, run: { r1: 'xgb-baseline', r2: 'xgb-tuned' }, model_version: { m1: 'fraud-model v4' } },
      lineage: [
        { from_kind: 'dataset', from: 'transactions-2026q2 3', relation: 'used by', to_kind: 'run', to: 'xgb-baseline', context: 'training' },
        { from_kind: 'dataset', from: 'transactions-2026q2 3', relation: 'used by', to_kind: 'run', to: 'xgb-tuned', context: 'training' },
        { from_kind: 'run', from: 'xgb-tuned', relation: 'produced', to_kind: 'model_version', to: 'fraud-model v4', context: null },
      ],
      bias: [
        label(metric('r2', 'equalized_odds_difference', 0.17, false), '0.170', '|x| ≤ 0.1', 'fail'),
        label(metric('r2', 'demographic_parity_difference', 0.04, true), '0.040', '|x| ≤ 0.1', 'pass'),
        label(metric('r2', 'demographic_parity_ratio', 0.86, true), '0.860', '≥ 0.8', 'pass'),
        label(metric('r2', 'selection_rate', 0.21, null), '0.210', 'no threshold', 'context only'),
      ],
    },
  });
}
