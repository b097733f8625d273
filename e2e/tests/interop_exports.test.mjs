// Exports in other tools' formats from the real app: a model card per registered model version
// on the Evidence screen (CycloneDX 1.6 JSON and HTML, from the seeded MLflow server's lineage)
// and an assessment's OSCAL assessment results on the Reports tab. The save dialog answers with
// a file in ASSAY_EXPORT_DIR (scripts/e2e.sh), named as the app proposes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { screenshot } from '../support/app.mjs';
import { byTestId as find, click, useApp, waitForText } from '../support/screen.mjs';
import { invoke } from '../support/ipc.mjs';

const session = useApp();

const byTestId = (id) => find(session.browser, id);

/** The file a "Saved PATH · SHA-256 HASH" line names, checked against the hash it shows. */
function savedFile(text, extension) {
  const match = text.match(new RegExp(`Saved (.+\\.${extension}) · SHA-256 ([0-9a-f]{64})`));
  assert.ok(match, `no saved file in: ${text}`);
  const [, file, sha256] = match;
  assert.ok(file.startsWith(process.env.ASSAY_EXPORT_DIR), `${file} is in the export directory`);
  const bytes = fs.readFileSync(file);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), sha256, 'the SHA-256 shown is that of the file');
  return { file, text: bytes.toString('utf8') };
}

test(
  'model cards of the registered versions export as CycloneDX JSON and HTML',
  { skip: !process.env.ASSAY_MLFLOW_URL && 'ASSAY_MLFLOW_URL is not set' },
  async () => {
    const { browser } = session;
    const scope = 'Credit models';
    await invoke(browser, 'import_evidence', {
      request: {
        target: { tracker: 'mlflow', url: process.env.ASSAY_MLFLOW_URL, experiment: 'credit-scoring-governance' },
        auth: 'none',
        full: true,
        scope,
      },
    });
    await browser.execute(() => (window.location.hash = '#/evidence'));
    await (await byTestId('model-cards')).waitForExist({ timeout: 15_000 });
    const rows = await browser.$$('[data-testid="model-card-row"]');
    const listed = [];
    for (const row of rows) listed.push([await row.getAttribute('data-model'), await row.getAttribute('data-version'), await row.getText()]);
    assert.deepEqual(
      listed.map(([model, version]) => `${model}/${version}`),
      ['credit-scoring-model/2', 'credit-scoring-model/1'],
      'newest version first',
    );
    assert.match(listed[0][2], /v2.*@champion/s);
    assert.match(listed[1][2], /v1.*@baseline/s);

    const champion = await browser.$('[data-testid="model-card-row"][data-version="2"]');
    await click(await champion.$('[data-testid="model-card-json"]'));
    const json = savedFile(await waitForText(browser, 'model-card-result', /\.json ·/), 'json');
    assert.equal(path.basename(json.file), 'credit-scoring-model v2 model card.json');
    const bom = JSON.parse(json.text);
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.equal(bom.specVersion, '1.6');
    assert.match(bom.serialNumber, /^urn:uuid:/);
    assert.match(JSON.stringify(bom), /credit-scoring-model/);

    await click(await champion.$('[data-testid="model-card-html"]'));
    const html = savedFile(await waitForText(browser, 'model-card-result', /\.html ·/), 'html');
    assert.equal(path.basename(html.file), 'credit-scoring-model v2 model card.html');
    assert.ok(html.text.startsWith('<!DOCTYPE html>'));
    assert.match(html.text, /credit-scoring-model/);
    assert.equal(await (await byTestId('model-card-error')).isExisting(), false);

    // A version the scope's evidence does not hold is refused with the API's own error.
    const refused = await invoke(browser, 'export_model_card', {
      scope,
      model: 'credit-scoring-model',
      version: '99',
      format: 'json',
      path: path.join(process.env.ASSAY_EXPORT_DIR, 'never.json'),
    }).catch((e) => e);
    assert.equal(refused.code, 'invalid_input');
    assert.match(refused.payload.message, /no version 99/);
    assert.equal(fs.existsSync(path.join(process.env.ASSAY_EXPORT_DIR, 'never.json')), false);

    await (await byTestId('model-cards')).scrollIntoView({ block: 'center' });
    await screenshot(browser, '63-evidence-model-cards');
  },
);

test('the assessment exports as OSCAL assessment results from the Reports tab', async () => {
  const { browser } = session;
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Credit models',
      title: 'Q2 review',
      participants: [{ name: 'Ana', role: 'ML lead' }],
      targets: { default: 3, areas: {}, questions: {} },
    },
  });
  const id = assessment.id;
  const bank = await invoke(browser, 'assessment_bank', { id });
  const question = bank.questions[0].id;
  await invoke(browser, 'update_answer', { id, question, change: { rating: { kind: 'level', level: 1 } } });

  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/reports`), id);
  await click(await byTestId('export-oscal'));
  const saved = savedFile(await waitForText(browser, 'oscal-result', /\.json ·/), 'json');
  assert.equal(path.basename(saved.file), `Q2 review ${assessment.assessed_on} OSCAL assessment results.json`);
  const results = JSON.parse(saved.text)['assessment-results'];
  assert.ok(results, 'an OSCAL assessment-results document');
  assert.equal(results.metadata['oscal-version'], '1.2.3');
  const finding = results.results[0].findings.find((f) => f.title.startsWith(`${question} `));
  assert.ok(finding, `a finding for ${question}`);
  assert.equal(finding.target.status.state, 'not-satisfied', 'level 1 is short of the target 3');
  assert.equal(await (await byTestId('oscal-error')).isExisting(), false);

  await (await byTestId('oscal-result')).scrollIntoView({ block: 'center' });
  await screenshot(browser, '64-reports-oscal-export');
});
