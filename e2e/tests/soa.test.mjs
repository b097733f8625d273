// The ISO/IEC 42001 Statement of Applicability in the real app: every Annex A control listed,
// an exclusion refused without a justification and kept with one, and the PDF exported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { screenshot } from '../support/app.mjs';
import { byTestId as find, click, useApp } from '../support/screen.mjs';
import { invoke } from '../support/ipc.mjs';

const session = useApp();

const byTestId = (id) => find(session.browser, id);

test('the statement lists every control, keeps a justified exclusion and exports a PDF', async () => {
  const { browser } = session;
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Claims triage',
      title: 'ISO 42001 readiness',
      participants: [{ name: 'Ana', role: 'ML lead' }],
      targets: { default: 3, areas: {}, questions: {} },
    },
  });
  const id = assessment.id;
  const soa = await invoke(browser, 'statement_of_applicability', { id });
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/soa`), id);
  await (await byTestId('soa-summary')).waitForExist({ timeout: 15_000 });
  const rows = await browser.$$('[data-testid="soa-row"]');
  assert.equal(rows.length, soa.rows.length, 'one row per control');
  assert.ok(soa.rows.length >= 30, `${soa.rows.length} controls`);
  assert.match(await (await byTestId('soa-summary')).getText(), new RegExp(`${soa.rows.length} still show Assay's proposal`));

  // The default bank types its links: each question says how much of the control it checks.
  const checked = soa.rows.find((r) => r.questions.length > 0);
  assert.equal(checked.checked, 'partial');
  const checkedRow = await browser.$(`[data-testid="soa-row"][data-control="${checked.control}"]`);
  assert.match(await checkedRow.getText(), new RegExp(`${checked.questions[0].id} –\\s${checked.questions[0].relationship}`));
  assert.ok(await checkedRow.$('[data-testid="soa-checked-in-part"]').isExisting(), 'the row says its questions check part of the control');

  const control = soa.rows[soa.rows.length - 1].control;
  const row = await browser.$(`[data-testid="soa-row"][data-control="${control}"]`);
  await click(await row.$('[data-testid="soa-edit"]'));
  await click(await byTestId('soa-exclude'));
  await click(await byTestId('soa-save'));
  await browser.waitUntil(async () => (await byTestId('soa-edit-error')).isExisting(), { timeout: 5_000, timeoutMsg: 'no refusal shown' });
  assert.match(await (await byTestId('soa-edit-error')).getText(), /justification/);
  await (await byTestId('soa-justification')).setValue('No customer uses the models directly <b>ever</b>');
  await (await byTestId('soa-owner')).setValue('Lena Fischer');
  await click(await byTestId('soa-save'));
  await browser.waitUntil(async () => !(await (await byTestId('soa-editor')).isExisting()), { timeout: 5_000, timeoutMsg: 'the editor stayed open' });
  const saved = await browser.$(`[data-testid="soa-row"][data-control="${control}"]`);
  const text = await saved.getText();
  assert.match(text, /Excluded/);
  assert.match(text, /No customer uses the models directly <b>ever<\/b>/, 'the justification is shown as text');
  assert.equal(await saved.$('[data-testid="soa-proposal"]').isExisting(), false);
  await saved.scrollIntoView({ block: 'center' });
  await screenshot(browser, '59-soa-decided');

  // Management approves the statement as it stands; a later decision leaves the approval
  // standing for the earlier content only.
  await (await byTestId('soa-approver')).setValue('Dana Lee');
  await (await byTestId('soa-approver-role')).setValue('Head of risk');
  await click(await byTestId('soa-approve'));
  const approval = await byTestId('soa-approval');
  await approval.waitForExist({ timeout: 5_000 });
  assert.match(await approval.getText(), /Approved by Dana Lee \(Head of risk\).*applies to this content/);
  await invoke(browser, 'set_soa_decision', {
    id,
    control: soa.rows[0].control,
    decision: { included: true, justification: 'Group policy', drivers: ['legal'], owner: null },
  });
  const listed = await invoke(browser, 'soa_approvals', { id });
  assert.equal(listed[0].current, false);

  await click(await byTestId('soa-export-pdf'));
  const exported = await byTestId('soa-exported');
  await exported.waitForExist({ timeout: 15_000 });
  const path = (await exported.getText()).match(/Saved (.+\.pdf)/)[1];
  const bytes = fs.readFileSync(path);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  await browser.execute(() => window.scrollTo(0, 0));
  await screenshot(browser, '60-soa-top');

  // The assessment as a workbook, from the Reports tab.
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/reports`), id);
  await click(await byTestId('export-workbook'));
  const book = await byTestId('workbook-result');
  await book.waitForExist({ timeout: 15_000 });
  const bookText = await book.getText();
  assert.match(bookText, /Findings \d+, Register 0, Crosswalk \d+, Roadmap \d+, Datasets 0/);
  const bookPath = bookText.match(/Saved (.+\.xlsx)/)[1];
  assert.equal(fs.readFileSync(bookPath).subarray(0, 2).toString(), 'PK');

  // The statement handed out is in the export log, current.
  const logged = await browser.$('[data-testid="export-row"][data-kind="soa"]');
  await logged.waitForExist({ timeout: 10_000 });
  const loggedText = await logged.getText();
  assert.match(loggedText, /Statement of Applicability/);
  assert.ok(loggedText.includes(path), 'the row names the exported file');
  assert.doesNotMatch(loggedText, /Outdated/, 'nothing changed since the export');
  await logged.scrollIntoView({ block: 'center' });
  await screenshot(browser, '65-reports-export-log');
});
