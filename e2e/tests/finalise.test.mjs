// Point-in-time approval in the real app: the Reports screen finalises an assessment, the
// workshop then says it is frozen and the command refuses a change, the exported report says
// FINAL on its cover, and reopening needs a reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { screenshot, startApp } from '../support/app.mjs';
import { invoke } from '../support/ipc.mjs';

let app;
let browser;

before(async () => {
  app = await startApp();
  browser = app.browser;
  await browser.$('#app-main').waitForExist({ timeout: 15_000 });
});

after(async () => {
  await app?.stop();
});

const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

async function click(element) {
  await element.scrollIntoView({ block: 'center' });
  await element.click();
}

async function waitForText(testId, pattern) {
  const element = await byTestId(testId);
  let text = '';
  await browser.waitUntil(async () => (await element.isExisting()) && pattern.test((text = await element.getText())), {
    timeout: 15_000,
    timeoutMsg: `${testId} never matched ${pattern}: ${text}`,
  });
  return text;
}

test('finalising freezes the assessment and the report says so; reopening needs a reason', async () => {
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Pricing',
      title: 'Pricing review',
      participants: [{ name: 'Ana', role: 'Facilitator' }],
      targets: { default: 2, areas: {}, questions: {} },
    },
  });
  const id = assessment.id;
  const rate = (level) =>
    invoke(browser, 'update_answer', { id, question: 'ORG-1', change: { rating: { kind: 'level', level } } });
  await rate(2);
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/reports`), id);
  await waitForText('final-state', /Draft/);
  await click(await byTestId('finalise'));
  await waitForText('final-state', /Finalised by .* The answers and votes are\s+frozen/);
  await screenshot(browser, '40-finalised');

  await assert.rejects(rate(3), (error) => error.code === 'assessment_finalised');
  const file = path.join(process.env.ASSAY_EXPORT_DIR, 'pricing-final.pdf');
  await invoke(browser, 'export_report', { id, format: 'pdf', path: file });
  const cover = execFileSync('pdftotext', ['-l', '1', '-layout', file, '-'], { encoding: 'utf8' });
  assert.match(cover, /Status\s+FINAL, NOT YET APPROVED/);

  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/workshop`), id);
  await waitForText('workshop-final', /finalised: its answers and votes are frozen/);
  await screenshot(browser, '41-workshop-finalised');

  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/reports`), id);
  await click(await byTestId('reopen').then(async (e) => (await e.waitForExist({ timeout: 10_000 }), e)));
  await waitForText('finalise-error', /Say why the assessment is reopened/);
  await (await byTestId('reopen-reason')).setValue('ORG-1 was rated before the org chart changed');
  await click(await byTestId('reopen'));
  await waitForText('final-state', /Reopened by .*: ORG-1 was rated before the org chart changed/);
  await rate(3);
  const state = await invoke(browser, 'final_state', { id });
  assert.equal(state.is_final, false);
  assert.equal(state.reopened.reason, 'ORG-1 was rated before the org chart changed');
});
