// The roadmap on the Results screen of the real app: the gate that blocks the next headline
// level comes first, an effort estimate is kept, and one action raises the register items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/app.mjs';
import { byTestId as find, click, useApp } from '../support/screen.mjs';
import { invoke } from '../support/ipc.mjs';

const session = useApp();

const byTestId = (id) => find(session.browser, id);

async function stepQuestions() {
  const rows = await session.browser.$$('[data-testid="roadmap-step"]');
  const ids = [];
  for (const row of rows) ids.push(await row.getAttribute('data-question'));
  return ids;
}

test('the roadmap leads with what blocks the next level and raises register items once', async () => {
  const { browser } = session;
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Credit scoring',
      title: 'Roadmap review',
      participants: [{ name: 'Ana', role: 'ML lead' }],
      targets: { default: 3, areas: {}, questions: {} },
    },
  });
  const id = assessment.id;
  const bank = await invoke(browser, 'assessment_bank', { id });
  const gates = bank.headline.levels.find((l) => l.level === 1).requires;
  const rate = (question, level) => invoke(browser, 'update_answer', { id, question, change: { rating: { kind: 'level', level } } });
  // Every level-1 gate at the threshold but one, one short; two other questions far below target.
  for (const gate of gates) await rate(gate, gate === gates[0] ? 2 : 3);
  const others = bank.questions.map((q) => q.id).filter((q) => !gates.includes(q));
  await rate(others[0], 0);
  await rate(others[1], 1);

  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/results`), id);
  await (await byTestId('roadmap')).waitForExist({ timeout: 15_000 });
  assert.match(await (await byTestId('roadmap-summary')).getText(), /1 question\(s\) must reach level 3 before level 1 is reached/);
  const order = await stepQuestions();
  assert.equal(order[0], gates[0], 'the blocking gate leads');
  assert.ok(order.indexOf(others[0]) < order.indexOf(others[1]), 'the longer climb comes first');
  const first = await browser.$(`[data-testid="roadmap-step"][data-question="${gates[0]}"]`);
  assert.match(await first.getText(), /blocks level 1/);

  // The team estimates the second gap as large work; the choice survives a reload.
  const effort = await browser.$(`[data-testid="roadmap-step"][data-question="${others[1]}"] [data-testid="roadmap-effort"]`);
  await effort.scrollIntoView({ block: 'center' });
  await effort.selectByAttribute('value', 'large');
  await browser.waitUntil(async () => (await invoke(browser, 'roadmap', { id })).steps.find((s) => s.question === others[1]).effort_estimated, {
    timeout: 5_000,
    timeoutMsg: 'the estimate was not kept',
  });

  await click(await byTestId('roadmap-raise'));
  await browser.waitUntil(async () => (await browser.$$('[data-testid="roadmap-item"]')).length === order.length, {
    timeout: 10_000,
    timeoutMsg: 'not every step shows its register item',
  });
  await screenshot(browser, '58-results-roadmap');
  const items = await invoke(browser, 'list_items', { scope: 'Credit scoring', overdueOnly: false });
  assert.equal(items.length, order.length);
  const gateItem = items.find((i) => i.links.questions[0] === gates[0]);
  assert.equal(gateItem.priority, 'high');
  assert.match(gateItem.description, /gates headline level 1/);
  // A second raise creates nothing.
  const again = await invoke(browser, 'raise_roadmap', { id });
  assert.equal(again.created.length, 0);
  assert.equal(again.already_tracked.length, order.length);
});
