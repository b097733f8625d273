// Offline filling through the Reports screen: a participant's own copy of the questionnaire is
// exported as a workbook, filled in by openpyxl as a spreadsheet program would, and imported
// back as that participant's votes; the consensus copy is refused as someone's votes. The bank
// is also exported as a workbook from the Libraries screen. The file dialogs answer with
// ASSAY_EXPORT_DIR (save) and ASSAY_QUESTIONNAIRE_FILE (open).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenshot, startApp } from '../support/app.mjs';
import { invoke } from '../support/ipc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fill = path.resolve(here, '../../tests/spreadsheets/fill_questionnaire.py');
const exportDir = process.env.ASSAY_EXPORT_DIR;
const filled = path.join(exportDir ?? '', 'filled-by-bo.xlsx');

let app;
let browser;

before(async () => {
  assert.ok(exportDir, 'scripts/e2e.sh sets ASSAY_EXPORT_DIR');
  app = await startApp({ env: { ASSAY_QUESTIONNAIRE_FILE: filled } });
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

/** Waits until the questionnaire card's result (or error) line matches `pattern`. */
async function waitForLine(testId, pattern) {
  const line = await byTestId(testId);
  let text = '';
  await browser.waitUntil(
    async () => (await line.isExisting()) && pattern.test((text = await line.getText())),
    { timeout: 15_000, timeoutMsg: `${testId} never matched ${pattern}: ${text}` },
  );
  return text;
}

test("a participant's workbook comes back as that participant's votes", async (t) => {
  const python = process.env.ASSAY_OPENPYXL_PYTHON;
  if (!python) {
    t.skip('ASSAY_OPENPYXL_PYTHON is not set (scripts/test.sh sets up openpyxl)');
    return;
  }
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Claims triage',
      title: 'Claims triage review',
      participants: [
        { name: 'Ana', role: 'Facilitator' },
        { name: 'Bo', role: 'ML engineer' },
      ],
      targets: { default: 2, areas: {}, questions: {} },
    },
  });
  const bo = assessment.participants.find((p) => p.name === 'Bo');
  await invoke(browser, 'update_answer', {
    id: assessment.id,
    question: 'ORG-1',
    change: { rating: { kind: 'level', level: 1 } },
  });
  await browser.execute((id) => (window.location.hash = `#/a/${id}/reports`), assessment.id);
  const whose = await byTestId('questionnaire-whose');
  await whose.waitForExist({ timeout: 10_000 });
  await whose.selectByAttribute('value', bo.id);
  await click(await byTestId('export-questionnaire'));
  await waitForLine('questionnaire-result', /Wrote the questionnaire: \d+ questions, 0 of Bo's votes filled in/);
  const exported = readdirSync(exportDir).find((f) => f.endsWith('questionnaire - Bo.xlsx'));
  assert.ok(exported, `no questionnaire for Bo in ${readdirSync(exportDir).join(', ')}`);
  const typed = JSON.parse(execFileSync(python, [fill, path.join(exportDir, exported), filled], { encoding: 'utf8' }));

  // Read back with "Consensus answers" selected: the file says whose votes it holds.
  await whose.selectByAttribute('value', '');
  await click(await byTestId('import-questionnaire'));
  await waitForLine('questionnaire-result', new RegExp(`Imported: ${Object.keys(typed).length} votes by Bo recorded`));
  await screenshot(browser, '35-questionnaire-imported');
  const stored = await invoke(browser, 'get_assessment', { id: assessment.id });
  const votes = stored.votes.filter((v) => v.participant_id === bo.id);
  assert.equal(votes.length, Object.keys(typed).length);
  assert.deepEqual(votes.find((v) => v.question_id === 'ORG-1').value, { level: 3 });
  assert.deepEqual(votes.find((v) => v.question_id === 'OBS-2').value, 'not_applicable');
  assert.deepEqual(stored.answers['ORG-1'].rating, { kind: 'level', level: 1 }, 'the consensus is untouched');
});

test('the consensus workbook is refused as one participant\'s votes', async () => {
  const list = await invoke(browser, 'list_assessments', {});
  const id = list.find((a) => a.title === 'Claims triage review').id;
  const assessment = await invoke(browser, 'get_assessment', { id });
  const ana = assessment.participants.find((p) => p.name === 'Ana');
  const whose = await byTestId('questionnaire-whose');
  await whose.waitForExist({ timeout: 10_000 });
  // The consensus copy, saved where the open dialog will pick it up.
  await invoke(browser, 'update_answer', { id, question: 'ORG-2', change: { rating: { kind: 'level', level: 2 } } });
  await click(await byTestId('export-questionnaire'));
  await waitForLine('questionnaire-result', /2 answers filled in/);
  const consensus = readdirSync(exportDir).find((f) => f.endsWith('questionnaire.xlsx'));
  execFileSync('cp', [path.join(exportDir, consensus), filled]);
  await whose.selectByAttribute('value', ana.id);
  await click(await byTestId('import-questionnaire'));
  await waitForLine('questionnaire-error', /2 consensus answers filled in, so its levels are not Ana's own votes/);
  await screenshot(browser, '36-questionnaire-refused');
  const after = await invoke(browser, 'get_assessment', { id });
  assert.equal(after.votes.filter((v) => v.participant_id === ana.id).length, 0, 'nothing was imported');
});

test('a bank is exported as a workbook from the Libraries screen', async () => {
  await browser.execute(() => (window.location.hash = '#/libraries'));
  const row = await browser.$('[data-bank="assay-genai@1.0.0"]');
  await row.waitForExist({ timeout: 10_000 });
  await click(await row.$('[data-testid="export-bank-xlsx"]'));
  const file = path.join(exportDir, 'assay-genai-1.0.0.xlsx');
  await browser.waitUntil(async () => existsSync(file), { timeout: 10_000, timeoutMsg: 'no bank workbook' });
  // An .xlsx is a zip archive whose first entry a spreadsheet program looks for.
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  const summary = await invoke(browser, 'import_bank', { path: file });
  assert.equal(`${summary.id}@${summary.version}`, 'assay-genai@1.0.0', 'the workbook reads back as the same bank');
});
