import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from './memory';

describe('in-memory backend', () => {
  it('runs a small workshop: votes, dissent, N/A rules, gaps and items', async () => {
    const api = createMemoryBackend();
    const a = await api.createAssessment({
      scope: 'Fraud',
      title: '',
      assessed_on: '2026-05-01',
      participants: [{ name: 'Ana', role: 'Lead' }],
      targets: { default: 3, areas: {}, questions: {} },
      start_from: null,
    });
    expect(a.title).toBe('Fraud maturity assessment');
    const bo = await api.addParticipant(a.id, 'Bo', 'Engineer');
    await expect(api.addParticipant(a.id, 'bo', 'x')).rejects.toMatchObject({ code: 'duplicate_participant' });
    await api.castVote(a.id, 'GOV-1', a.participants[0].id, { level: 1 });
    const summary = await api.castVote(a.id, 'GOV-1', bo.id, { level: 3 });
    expect(summary).toMatchObject({ dissent: true, suggested: 1 });
    await expect(api.updateAnswer(a.id, 'GOV-2', { rating: { kind: 'not_applicable', justification: ' ' } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await api.updateAnswer(a.id, 'GOV-1', { accept_votes: true })).rating).toEqual({ kind: 'level', level: 1 });
    const score = await api.score(a.id);
    expect(score.gaps).toEqual([{ question: 'GOV-1', area: 'gov', level: 1, target: 3, size: 2 }]);
    expect(score.dissent).toEqual(['GOV-1']);
    const item = await api.itemFromGap(a.id, 'GOV-1');
    await expect(api.updateItem(item.id, { status: { accept_risk: { accepted_by: 'Dana', reason: ' ' } } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await api.updateItem(item.id, { status: { accept_risk: { accepted_by: 'Dana', reason: 'Retired' } } })).acceptance).toEqual({ accepted_by: 'Dana', reason: 'Retired' });
    expect(await api.listItems('Fraud', false)).toHaveLength(1);
  });
});

describe('in-memory import', () => {
  const request = { target: { tracker: 'mlflow' as const, url: 'http://127.0.0.1:5000', experiment: 'fraud' }, auth: 'none' as const, user: null, full: false, scope: null };

  it('reports progress and finishes', async () => {
    const api = createMemoryBackend();
    const phases: string[] = [];
    const summary = await api.importEvidence(request, (p) => phases.push(p.phase));
    expect(summary.import.source).toEqual({ tracker: 'mlflow', instance: 'http://127.0.0.1:5000', project: 'fraud' });
    expect(phases[0]).toBe('runs');
    expect(phases.at(-1)).toBe('models');
  });

  it('stops when cancelled', async () => {
    const api = createMemoryBackend();
    const running = api.importEvidence(request);
    expect(await api.cancelImport()).toBe(true);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
  });
});
