// A team brings its own question bank: the Libraries screen lists the built-in banks, imports the
// team's bank folder (tests/fixtures/banks/team-checklist, chosen through the file dialog, which
// under test answers with ASSAY_BANK_FILE), previews it, and an assessment taken with it exports
// a report that names the bank and its own headline scale.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenshot, startApp } from '../support/app.mjs';
import { invoke } from '../support/ipc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const teamBank = path.resolve(here, '../../tests/fixtures/banks/team-checklist/bank.toml');

let app;
let browser;

before(async () => {
  app = await startApp({ env: { ASSAY_BANK_FILE: teamBank } });
  browser = app.browser;
  await browser.$('#app-main').waitForExist({ timeout: 15_000 });
});

after(async () => {
  await app?.stop();
});

const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
const allByTestId = (id) => browser.$$(`[data-testid="${id}"]`);

async function click(element) {
  await element.scrollIntoView({ block: 'center' });
  await element.click();
}

async function bankNames() {
  const names = [];
  for (const row of await allByTestId('bank-row')) names.push(await row.getAttribute('data-bank'));
  return names;
}

test('the Libraries screen lists the built-in banks and imports a team bank', async () => {
  await click(await byTestId('nav-libraries'));
  await byTestId('bank-table').then((e) => e.waitForExist({ timeout: 10_000 }));
  const builtIn = await bankNames();
  assert.ok(builtIn.includes('assay-mlops@1.0.0'), builtIn.join(', '));
  assert.ok(builtIn.includes('assay-genai@1.0.0'), builtIn.join(', '));
  assert.ok(!builtIn.includes('acme-ml-checklist@0.3.0'));
  await screenshot(browser, '30-libraries');

  await click(await byTestId('import-bank'));
  await browser.waitUntil(async () => (await bankNames()).includes('acme-ml-checklist@0.3.0'), {
    timeout: 10_000,
    timeoutMsg: 'the imported bank is not listed',
  });
  const row = await browser.$('[data-bank="acme-ml-checklist@0.3.0"]');
  const text = await row.getText();
  assert.match(text, /ACME model readiness checklist/);
  assert.match(text, /Imported/);
  assert.match(text, /6 in 3 areas/);
  assert.match(await (await byTestId('info-message')).getText(), /Stored acme-ml-checklist@0\.3\.0/);

  // Importing the same file again is accepted and changes nothing.
  await click(await byTestId('import-bank'));
  await browser.pause(500);
  assert.equal((await bankNames()).filter((n) => n === 'acme-ml-checklist@0.3.0').length, 1);

  await click(await row.$('[data-testid="preview-bank"]'));
  const preview = await byTestId('bank-preview');
  await preview.waitForExist({ timeout: 10_000 });
  await browser.waitUntil(async () => (await preview.getText()).includes('REL-2'), { timeout: 10_000 });
  const shown = await preview.getText();
  assert.match(shown, /Automated release/);
  assert.match(shown, /Release ready needs TST-1, REL-1/);
  await screenshot(browser, '31-libraries-preview');

  await click(await row.$('[data-testid="export-bank"]'));
  const exported = path.join(process.env.ASSAY_EXPORT_DIR, 'acme-ml-checklist-0.3.0.json');
  await browser.waitUntil(async () => existsSync(exported), { timeout: 10_000, timeoutMsg: 'no exported bank file' });
  const file = JSON.parse(readFileSync(exported, 'utf8'));
  assert.equal(file.format, 'assay-bank');
  assert.match(file.sha256, /^[0-9a-f]{64}$/);
  assert.equal(file.bank.id, 'acme-ml-checklist');
});

test('an assessment taken with the team bank reports on its own scale', async () => {
  await browser.execute(() => (window.location.hash = '#/new'));
  await byTestId('scope-input').then((e) => e.waitForExist({ timeout: 10_000 }));
  await (await byTestId('scope-input')).setValue('Recommender');
  const select = await byTestId('bank-version');
  await browser.waitUntil(async () => (await select.getText()).includes('ACME'), { timeout: 10_000 });
  await select.selectByAttribute('value', 'acme-ml-checklist@0.3.0');
  // The targets offered are the chosen bank's areas.
  await byTestId('target-area-release').then((e) => e.waitForExist({ timeout: 10_000 }));
  await screenshot(browser, '32-new-assessment-team-bank');
  await click(await byTestId('create-assessment'));
  const question = await byTestId('question');
  await question.waitForExist({ timeout: 10_000 });
  assert.equal(await question.getAttribute('data-question-id'), 'OWN-1');
  const id = (await browser.execute(() => window.location.hash)).match(/#\/a\/([^/]+)\//)[1];

  await browser.execute((assessment) => (window.location.hash = `#/a/${assessment}/reports`), id);
  await click(await byTestId('export-html').then(async (e) => (await e.waitForExist({ timeout: 10_000 }), e)));
  const saved = await byTestId('export-result-path');
  await browser.waitUntil(async () => (await saved.isExisting()) && (await saved.getText()).endsWith('.html'), {
    timeout: 30_000,
    timeoutMsg: 'the report export did not finish',
  });
  const html = readFileSync(await saved.getText(), 'utf8');
  assert.match(html, /Model readiness review/);
  assert.match(html, /ACME model readiness checklist 0\.3\.0 \(acme-ml-checklist\)/);
  assert.match(html, /on ACME readiness scale: 0 Ad hoc, 1 Release ready/);
  await click(await byTestId('export-pdf'));
  await browser.waitUntil(async () => (await saved.getText()).endsWith('.pdf'), { timeout: 30_000 });
  const pdf = await saved.getText();
  execFileSync('qpdf', ['--check', pdf], { stdio: 'pipe' });
  assert.match(execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }), /MODEL READINESS REVIEW/);
  earlierId = id;
});

let earlierId;

test('a follow-up started from the earlier assessment shows carried answers until confirmed', async () => {
  await invoke(browser, 'update_answer', {
    id: earlierId,
    question: 'OWN-1',
    change: { rating: { kind: 'level', level: 2 }, note: 'Owners listed in the model registry' },
  });
  await browser.execute(() => (window.location.hash = '#/new'));
  await (await byTestId('scope-input')).setValue('Recommender');
  const startFrom = await byTestId('start-from');
  await startFrom.waitForExist({ timeout: 10_000 });
  await startFrom.selectByAttribute('value', earlierId);
  await click(await byTestId('create-assessment'));
  await byTestId('question').then((e) => e.waitForExist({ timeout: 10_000 }));
  const badge = await byTestId('carried-answer');
  await badge.waitForExist({ timeout: 10_000 });
  assert.match(await badge.getText(), /acme-ml-checklist@0\.3\.0, OWN-1/);
  assert.equal(await (await byTestId('consensus-value')).getText(), 'Level 2');
  await screenshot(browser, '33-workshop-carried-answer');
  await click(await byTestId('confirm-carried'));
  await badge.waitForExist({ reverse: true, timeout: 10_000 });
  assert.equal(await (await byTestId('consensus-value')).getText(), 'Level 2', 'confirming keeps the answer');

  // The level changes but the note is the earlier one word for word: it asks to be reviewed.
  await click(await browser.$('button[aria-label="Consensus level 3"]'));
  const review = await byTestId('note-review');
  await review.waitForExist({ timeout: 10_000 });
  assert.match(await review.getText(), /unchanged from ".+", where the answer was level 2; the answer is now level 3/);
  await screenshot(browser, '34-workshop-note-to-review');
  await (await byTestId('note-input')).setValue('Owners listed in the model registry, which now blocks promotion without one');
  await click(await byTestId('note-save'));
  await review.waitForExist({ reverse: true, timeout: 10_000 });
});
