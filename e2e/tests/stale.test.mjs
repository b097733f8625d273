// Evidence going stale in the real app: a dated link older than the assessment's
// re-attestation period is flagged on the Results screen, beside the link in the workshop, and
// counted on the home screen; a register item that tracks the question says it rests on stale
// evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/app.mjs';
import { byTestId as find, click, useApp } from '../support/screen.mjs';
import { invoke } from '../support/ipc.mjs';

const session = useApp();

const byTestId = (id) => find(session.browser, id);

test('dated evidence past the period is flagged on results, in the workshop, in the register and on home', async () => {
  const { browser } = session;
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Pricing',
      title: 'Evidence review',
      participants: [{ name: 'Ana', role: 'ML lead' }],
      targets: { default: 3, areas: {}, questions: {} },
    },
  });
  const id = assessment.id;
  const bank = await invoke(browser, 'assessment_bank', { id });
  const question = bank.questions[0].id;
  await invoke(browser, 'update_answer', {
    id,
    question,
    change: {
      rating: { kind: 'level', level: 1 },
      add_evidence: [
        { kind: 'url', target: 'https://wiki.example/validation-2025', label: 'Validation report', as_of: '2025-01-15' },
        { kind: 'url', target: 'https://wiki.example/runbook', label: 'Runbook' },
      ],
    },
  });

  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/results`), id);
  await (await byTestId('stale-evidence')).waitForExist({ timeout: 15_000 });
  assert.match(await (await byTestId('stale-none')).getText(), /No stale evidence/);
  await (await byTestId('reattest-days')).setValue('180');
  await click(await byTestId('reattest-save'));
  await browser.waitUntil(async () => (await browser.$$('[data-testid="stale-row"]')).length === 1, {
    timeout: 5_000,
    timeoutMsg: 'the dated report was not flagged',
  });
  const row = await (await byTestId('stale-row')).getText();
  assert.match(row, /Validation report/);
  assert.match(row, /2025-07-14/, 'stale 180 days after the day its fact was true');
  await (await byTestId('stale-evidence')).scrollIntoView({ block: 'center' });
  await screenshot(browser, '61-results-stale-evidence');

  await browser.execute((aid, q) => (window.location.hash = `#/a/${aid}/workshop/${q}`), id, question);
  const flag = await byTestId('evidence-stale');
  await flag.waitForExist({ timeout: 10_000 });
  assert.match(await flag.getText(), /stale since 2025-07-14/);
  assert.equal((await browser.$$('[data-testid="evidence-stale"]')).length, 1, 'the runbook linked today is current');

  // Beside it, the clauses the question speaks to, with how much of each it checks.
  const crosswalk = await byTestId('question-crosswalk');
  await crosswalk.waitForExist({ timeout: 10_000 });
  const relations = await browser.$$('[data-testid="crosswalk-relationship"]');
  const linked = Object.values(bank.questions[0].crosswalk).flat();
  assert.equal(relations.length, linked.length, 'every link of the default bank is typed');
  const first = bank.questions[0];
  const expected = bank.frameworks.flatMap((f) => (first.crosswalk[f.id] ?? []).map((clause) => first.relations[f.id][clause].relationship));
  const shown = [];
  for (const relation of relations) shown.push(await relation.getText());
  assert.deepEqual(shown, expected);
  await crosswalk.scrollIntoView({ block: 'center' });
  await screenshot(browser, '66-workshop-crosswalk');

  // An item raised from the question's gap rests on that evidence: the register says so.
  const item = await invoke(browser, 'item_from_gap', { id, question });
  await browser.execute(() => (window.location.hash = '#/register/Pricing'));
  const itemRow = await browser.$(`[data-testid="item-row"][data-item-id="${item.id}"]`);
  await itemRow.waitForExist({ timeout: 10_000 });
  const itemFlag = await itemRow.$('[data-testid="item-stale"]');
  await itemFlag.waitForExist({ timeout: 10_000 });
  assert.match(await itemFlag.getText(), /Stale evidence since 2025-07-14/);
  const detail = await (await itemRow.$('[data-testid="item-stale-list"]')).getText();
  assert.match(detail, new RegExp(`Evidence for ${question}: Validation report`));
  assert.doesNotMatch(detail, /Runbook/, 'current evidence is not listed');
  await itemRow.scrollIntoView({ block: 'center' });
  await screenshot(browser, '62-register-stale-evidence');

  await browser.execute(() => (window.location.hash = '#/'));
  const count = await browser.$(`[data-testid="assessment-row"][data-assessment-id="${id}"] [data-testid="stale-count"]`);
  await count.waitForExist({ timeout: 10_000 });
  assert.match(await count.getText(), /1 stale evidence/);
});
