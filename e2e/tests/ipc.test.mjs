// The command contract of the desktop shell, exercised through the real app's IPC: argument
// names, JSON shapes, `{code, message}` errors, files written by exports and the export log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { collectEvents, commandSession } from '../support/ipc.mjs';

const session = commandSession();
const call = session.call;

/** The error code a command rejects with. */
async function codeOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error.code;
  }
  assert.fail('the command was expected to fail');
}

test('an assessment from creation to exported, signed-off report', async () => {
  const bank = await call('get_bank');
  assert.ok(bank.questions.length >= 45);
  const [first, second] = bank.questions;

  const created = await call('create_assessment', {
    input: {
      scope: 'Fraud models',
      title: 'Spring review',
      participants: [{ name: 'Ana', role: 'Facilitator' }],
      targets: { default: 3, areas: {}, questions: {} },
    },
  });
  const id = created.id;
  assert.equal(created.participants.length, 1);
  await call('add_participant', { id, name: 'Bo', role: 'ML engineer' });
  assert.equal(await codeOf(call('add_participant', { id, name: 'bo', role: 'x' })), 'duplicate_participant');

  await call('cast_vote', { id, question: first.id, participant: 'Ana', value: { level: 1 } });
  const votes = await call('cast_vote', { id, question: first.id, participant: 'Bo', value: { level: 3 } });
  assert.equal(votes.dissent, true);
  assert.equal(votes.suggested, 1);

  const answer = await call('update_answer', { id, question: first.id, change: { accept_votes: true, note: 'Only one model is checked' } });
  assert.deepEqual(answer.rating, { kind: 'level', level: 1 });
  const refused = await codeOf(
    call('update_answer', { id, question: second.id, change: { rating: { kind: 'not_applicable', justification: ' ' } } }),
  );
  assert.equal(refused, 'invalid_input');
  await call('update_answer', { id, question: second.id, change: { rating: { kind: 'not_applicable', justification: 'Batch only' } } });

  const card = await call('score', { id });
  assert.ok(card.dissent.includes(first.id));
  assert.equal(card.not_applicable, 1);
  assert.ok(card.gaps.some((g) => g.question === first.id));

  const charts = await call('charts', { id });
  assert.match(charts.radar_svg, /^<svg/);
  assert.match(charts.pillars_svg, /^<svg/);
  assert.equal(charts.trend_svg, null);

  const item = await call('item_from_gap', { id, question: first.id });
  assert.equal(item.status, 'open');
  const updated = await call('update_item', { itemId: item.id, change: { owner: 'Lena', due_on: '2020-01-31', status: { to: 'in_progress' } } });
  assert.equal(updated.owner, 'Lena');
  assert.equal(updated.overdue, true);
  assert.deepEqual((await call('list_items', { scope: null, overdueOnly: true })).map((i) => i.id), [item.id]);
  const cleared = await call('update_item', { itemId: item.id, change: { due_on: null } });
  assert.equal(cleared.due_on, null);
  assert.equal(await codeOf(call('update_item', { itemId: item.id, change: { status: { to: 'risk_accepted' } } })), 'invalid_input');

  assert.equal((await call('history', { scope: 'Fraud models' })).length, 1);
  assert.equal((await call('diff', { from: id, to: id })).answers.length, 0);
  const summaries = await call('list_assessments');
  assert.deepEqual(summaries.map((s) => s.id), [id]);

  await call('sign_off', { id, name: 'Dana', role: 'ML auditor', decision: 'approve', comment: '' });
  assert.equal((await call('signoffs', { id }))[0].stale, false);

  for (const format of ['html', 'pdf']) {
    const path = await call('choose_export_path', { id, format });
    assert.ok(path.startsWith(process.env.ASSAY_EXPORT_DIR), path);
    const exported = await call('export_report', { id, format, path });
    assert.equal(exported.path, path);
    assert.match(exported.content_hash, /^[0-9a-f]{64}$/);
    assert.ok(existsSync(path));
  }
  const [html, pdf] = await call('list_exports', { id });
  assert.equal(html.format, 'html');
  assert.equal(pdf.stale, false);
  assert.ok(readFileSync(html.path, 'utf8').includes(html.content_hash));
  assert.equal(readFileSync(pdf.path).subarray(0, 5).toString(), '%PDF-');
  execFileSync('qpdf', ['--check', pdf.path], { stdio: 'pipe' });

  assert.equal(
    await codeOf(call('open_export', { id, path: '/etc/passwd' })),
    'not_an_export',
    'only files the assessment exported may be opened',
  );
});

test('errors cross IPC as {code, message}', async () => {
  const error = await call('get_assessment', { id: 'nope-nope' }).catch((e) => e);
  assert.equal(error.code, 'assessment_not_found');
  assert.match(error.payload.message, /no assessment has the id/);
  assert.equal(await codeOf(call('history', { scope: 'No such scope' })), 'invalid_input');
});

test('tracker evidence: nothing yet, no import running', async () => {
  assert.deepEqual(await call('evidence', { scope: null }), []);
  assert.equal(await call('cancel_import'), false);
});

test('import from the local MLflow server with progress events', { skip: !process.env.ASSAY_MLFLOW_URL && 'ASSAY_MLFLOW_URL is not set' }, async () => {
  const progress = await collectEvents(session.browser, 'import-progress');
  const summary = await call('import_evidence', {
    request: {
      target: { tracker: 'mlflow', url: process.env.ASSAY_MLFLOW_URL, experiment: 'credit-scoring-governance' },
      auth: 'none',
      full: true,
      scope: 'Fraud models',
    },
  });
  assert.ok(summary.import.counts.runs > 0);
  const events = await progress();
  assert.ok(events.length > 0, 'progress events arrive');
  assert.ok(events.every((e) => typeof e.phase === 'string' && typeof e.done === 'number'));
  const [project] = await call('evidence', { scope: 'Fraud models' });
  assert.ok(project.snapshot.edges.length > 0, 'lineage');
  assert.ok(project.snapshot.bias.length > 0, 'bias metrics');
});
