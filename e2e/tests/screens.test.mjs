// A facilitator's session on the real app, through its screens only: create an assessment,
// vote with the keyboard, see dissent, mark a question N/A (refused without a justification),
// read the score, raise a governance item from a gap, export the reports and check the files.
// Every screen is saved to e2e/screenshots/, in the light theme and, for a few, the dark one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Key } from 'webdriverio';
import { screenshot, startApp } from '../support/app.mjs';

let app;
let browser;

before(async () => {
  app = await startApp();
  browser = app.browser;
  await browser.$('#app-main').waitForExist({ timeout: 15_000 });
  await setTheme('light');
});

after(async () => {
  await app?.stop();
});

const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
const allByTestId = (id) => browser.$$(`[data-testid="${id}"]`);

/** Waits until `read()` gives `expected` (compared with deepEqual), then checks it once more. */
async function eventually(read, expected, message) {
  let last;
  await browser
    .waitUntil(
      async () => {
        last = await read();
        try {
          assert.deepEqual(last, expected);
          return true;
        } catch {
          return false;
        }
      },
      { timeout: 10_000, interval: 100 },
    )
    .catch(() => {});
  assert.deepEqual(last, expected, message);
}

async function setTheme(wanted) {
  const toggle = await byTestId('theme-toggle');
  for (let i = 0; i < 3; i += 1) {
    const current = await browser.execute(() => document.documentElement.dataset.theme ?? 'system');
    if (current === wanted) return;
    await toggle.click();
  }
  assert.fail(`the theme toggle never reached ${wanted}`);
}

/** Clicks like a person: scrolls the control into view first (WebKitWebDriver may not). */
async function click(element) {
  await element.scrollIntoView({ block: 'center' });
  await element.click();
}

/** Presses keys one at a time on the page (not in a field), as a facilitator would. */
async function press(...keys) {
  for (const key of keys) {
    await browser.keys(key);
  }
}

const voteValues = async () => {
  const rows = await allByTestId('vote-row');
  const values = [];
  for (const row of rows) values.push(await row.$('[data-testid="vote-value"]').getText());
  return values;
};

const questionId = async () => (await byTestId('question')).getAttribute('data-question-id');

let assessmentId;
const questionsSeen = [];

test('the home screen starts empty and leads to a new assessment', async () => {
  await byTestId('home').waitForExist({ timeout: 10_000 });
  assert.equal((await allByTestId('assessment-row')).length, 0);
  await screenshot(browser, '01-home-empty');
  await click(await byTestId('new-assessment'));
  await byTestId('scope-input').then((e) => e.waitForExist({ timeout: 10_000 }));
});

test('a new assessment with three participants and a target of 3', async () => {
  await (await byTestId('scope-input')).setValue('Fraud models');
  await (await byTestId('title-input')).setValue('Spring review');
  const people = [
    ['Ana', 'Facilitator'],
    ['Bo', 'ML engineer'],
    ['Cy', 'Data scientist'],
  ];
  for (const [name, role] of people) {
    await (await byTestId('participant-name')).setValue(name);
    await (await byTestId('participant-role')).setValue(role);
    await click(await byTestId('add-participant'));
  }
  await eventually(async () => (await allByTestId('participant-row')).length, 3, 'three participants listed');
  await (await byTestId('target-default')).selectByAttribute('value', '3');
  // The default bank is preselected; its version is shown.
  assert.match(await (await byTestId('bank-version')).getText(), /version/);
  await screenshot(browser, '02-new-assessment');

  await click(await byTestId('create-assessment'));
  await byTestId('question').then((e) => e.waitForExist({ timeout: 10_000 }));
  const hash = await browser.execute(() => window.location.hash);
  assessmentId = hash.match(/#\/a\/([^/]+)\/workshop/)?.[1];
  assert.ok(assessmentId, `the workshop opens for the new assessment (${hash})`);
});

test('votes from the keyboard, dissent flagged, consensus from the median', async () => {
  const first = await questionId();
  questionsSeen.push(first);
  assert.equal(await (await allByTestId('vote-row'))[0].getAttribute('data-active'), 'true', 'the first participant is highlighted');

  await press('1', '3', '2');
  await eventually(voteValues, ['1', '3', '2'], 'each key gave the next participant their vote');
  const dissent = await byTestId('dissent-flag');
  await dissent.waitForDisplayed({ timeout: 5_000 });
  assert.match(await dissent.getText(), /from 1 to 3/);
  assert.equal(await (await byTestId('consensus-row')).getAttribute('data-active'), 'true');
  await screenshot(browser, '03-workshop-dissent');

  await press('a');
  await eventually(async () => (await byTestId('consensus-value')).getText(), 'Level 2', 'the median became the consensus');
  assert.equal(await (await byTestId('answered-count')).getText(), '1');
});

test('arrows move between questions; agreement raises no flag', async () => {
  await press(Key.ArrowRight);
  await eventually(questionId, await nextQuestionAfter(questionsSeen[0]), 'the right arrow opens the next question');
  questionsSeen.push(await questionId());
  await eventually(voteValues, ['–', '–', '–'], 'the new question starts without votes');
  await press('3', '3', '4', '3');
  await eventually(voteValues, ['3', '3', '4'], 'votes on the second question');
  await eventually(async () => (await byTestId('consensus-value')).getText(), 'Level 3', 'the consensus key sets the level');
  assert.equal((await allByTestId('dissent-flag')).length, 0, 'a spread of 1 is not dissent');

  await press(Key.ArrowLeft);
  await eventually(questionId, questionsSeen[0], 'the left arrow goes back');
  await eventually(voteValues, ['1', '3', '2'], 'the votes of the first question are still there');
  await press(Key.ArrowRight, Key.ArrowRight);
  await eventually(async () => questionsSeen.includes(await questionId()), false, 'on a third question');
  questionsSeen.push(await questionId());
});

test('N/A is refused without a justification and kept with one', async () => {
  // Down past the three participants to the consensus row, then n.
  await press(Key.ArrowDown, Key.ArrowDown, Key.ArrowDown);
  await eventually(async () => (await byTestId('consensus-row')).getAttribute('data-active'), 'true', 'the consensus row is highlighted');
  await press('n');
  const form = await byTestId('na-form');
  await form.waitForDisplayed({ timeout: 5_000 });
  assert.ok(
    await browser.execute(() => document.querySelector('[data-testid="na-save"]').getBoundingClientRect().bottom <= window.innerHeight),
    'the form opens in view, its button included',
  );
  await click(await byTestId('na-save'));
  const refusal = await byTestId('na-error');
  await refusal.waitForDisplayed({ timeout: 5_000 });
  assert.match(await refusal.getText(), /justif/i);
  await screenshot(browser, '04-workshop-na-refused');
  assert.equal(await (await byTestId('consensus-value')).getText(), 'Not answered', 'nothing was saved');

  await (await byTestId('na-justification')).setValue('Batch scoring only; no online features are served.');
  await click(await byTestId('na-save'));
  const shown = await byTestId('na-shown');
  await shown.waitForDisplayed({ timeout: 5_000 });
  assert.match(await shown.getText(), /Batch scoring only/);
  await eventually(async () => (await byTestId('consensus-value')).getText(), 'N/A', 'the consensus is N/A');
  assert.equal(await (await byTestId('answered-count')).getText(), '3');
});

test('the results show the score, dissent and gaps; a gap becomes a governance item', async () => {
  await click(await byTestId('tab-results'));
  const headline = await byTestId('headline-level');
  await headline.waitForExist({ timeout: 10_000 });
  assert.match(await headline.getText(), /^[0-2]$/);
  assert.match(await (await byTestId('radar-chart')).getHTML(), /<svg/);
  assert.match(await (await byTestId('pillars-chart')).getHTML(), /<svg/);
  assert.ok((await (await byTestId('dissent-list')).getText()).includes(questionsSeen[0]), 'the dissent is listed');

  // The first question settled at 2 against a target of 3; the second met its target.
  const gap = await browser.$(`[data-testid="gap-row"][data-question="${questionsSeen[0]}"]`);
  await gap.waitForExist({ timeout: 5_000 });
  assert.equal((await browser.$$(`[data-testid="gap-row"][data-question="${questionsSeen[1]}"]`)).length, 0);
  await screenshot(browser, '05-results');

  await click(await gap.$('[data-testid="create-item"]'));
  const created = await gap.$('[data-testid="item-created"]');
  await created.waitForDisplayed({ timeout: 5_000 });
  await click(created);
  const item = await byTestId('item-row');
  await item.waitForExist({ timeout: 10_000 });
  assert.equal(await item.getAttribute('data-status'), 'open');
  assert.match(await item.getText(), new RegExp(questionsSeen[0]));
  await screenshot(browser, '06-register');
});

test('the reports screen exports HTML and PDF through the save dialog and lists them', async () => {
  await browser.execute((id) => (window.location.hash = `#/a/${id}/reports`), assessmentId);
  await byTestId('export-html').then((e) => e.waitForExist({ timeout: 10_000 }));

  const exported = {};
  for (const format of ['html', 'pdf']) {
    // No path typed: the save dialog is asked; under test it answers with ASSAY_EXPORT_DIR.
    await click(await byTestId(`export-${format}`));
    const saved = await byTestId('export-result-path');
    await browser.waitUntil(async () => (await saved.isExisting()) && (await saved.getText()).endsWith(`.${format}`), {
      timeout: 30_000,
      timeoutMsg: `the ${format} export did not finish`,
    });
    exported[format] = { path: await saved.getText(), hash: await (await byTestId('export-result-hash')).getText() };
    assert.ok(exported[format].path.startsWith(process.env.ASSAY_EXPORT_DIR), exported[format].path);
    assert.ok(existsSync(exported[format].path));
    assert.match(exported[format].hash, /^[0-9a-f]{64}$/);
  }
  await eventually(async () => (await allByTestId('export-row')).length, 2, 'both exports are listed');
  await screenshot(browser, '07-reports');

  const html = readFileSync(exported.html.path, 'utf8');
  assert.ok(html.includes('Fraud models'));
  assert.ok(html.includes(exported.html.hash), 'the HTML carries its content hash');
  assert.ok(html.includes('Batch scoring only'), 'the N/A justification is in the report');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="https?:/i, 'the HTML loads nothing from elsewhere');

  execFileSync('qpdf', ['--check', exported.pdf.path], { stdio: 'pipe' });
  const text = execFileSync('pdftotext', ['-layout', exported.pdf.path, '-'], { encoding: 'utf8' });
  assert.match(text, /Fraud models/);
  assert.match(text, new RegExp(questionsSeen[0]));
});

test('history, register and evidence screens render', async () => {
  await browser.execute(() => (window.location.hash = `#/history/${encodeURIComponent('Fraud models')}`));
  await browser.waitUntil(async () => (await (await browser.$('#app-main')).getText()).includes('Spring review'), {
    timeout: 10_000,
    timeoutMsg: 'the history lists the assessment',
  });
  await screenshot(browser, '08-history');

  await click(await byTestId('nav-evidence'));
  await byTestId('import-start').then((e) => e.waitForExist({ timeout: 10_000 }));
  await screenshot(browser, '09-evidence-empty');

  await click(await byTestId('nav-home'));
  const row = await byTestId('assessment-row');
  await row.waitForExist({ timeout: 10_000 });
  assert.equal(await row.getAttribute('data-assessment-id'), assessmentId);
  assert.match(await (await byTestId('scope-group')).getText(), /Fraud models/);
  await screenshot(browser, '10-home');
});

test('the dark theme', async () => {
  await setTheme('dark');
  await screenshot(browser, '11-home-dark');
  await browser.execute((id) => (window.location.hash = `#/a/${id}/workshop`), assessmentId);
  await byTestId('question').then((e) => e.waitForExist({ timeout: 10_000 }));
  await screenshot(browser, '12-workshop-dark');
  await browser.execute((id) => (window.location.hash = `#/a/${id}/results`), assessmentId);
  await byTestId('radar-chart').then((e) => e.waitForExist({ timeout: 10_000 }));
  await screenshot(browser, '13-results-dark');
  await setTheme('light');
});

test('tracker evidence imported from the screen: lineage and the bias table', { skip: !process.env.ASSAY_MLFLOW_URL && 'ASSAY_MLFLOW_URL is not set' }, async () => {
  await click(await byTestId('nav-evidence'));
  await byTestId('import-start').then((e) => e.waitForExist({ timeout: 10_000 }));
  await (await byTestId('import-tracker')).selectByAttribute('value', 'mlflow');
  await (await byTestId('import-url')).setValue(process.env.ASSAY_MLFLOW_URL);
  await (await byTestId('import-experiment')).setValue('credit-scoring-governance');
  await (await byTestId('import-scope')).setValue('Fraud models');
  await click(await byTestId('import-start'));
  const summary = await byTestId('import-summary');
  await summary.waitForDisplayed({ timeout: 60_000 });
  assert.match(await summary.getText(), /new/i);

  await eventually(async () => (await allByTestId('lineage-row')).length > 0, true, 'lineage rows');
  await (await byTestId('bias-filter')).selectByAttribute('value', 'all');
  const verdicts = [];
  for (const row of await allByTestId('bias-row')) verdicts.push(await row.getAttribute('data-passed'));
  assert.ok(verdicts.includes('false'), 'the baseline model fails a fairness check');
  assert.ok(verdicts.includes('true'), 'the mitigated model passes one');
  await (await byTestId('bias-table')).scrollIntoView({ block: 'start' });
  await screenshot(browser, '14-evidence-imported');
});

/** The question after `id` in the bank's order, read through the app's own IPC. */
async function nextQuestionAfter(id) {
  const bank = await browser.execute(() => window.__TAURI_INTERNALS__.invoke('get_bank'));
  const at = bank.questions.findIndex((q) => q.id === id);
  return bank.questions[at + 1].id;
}
