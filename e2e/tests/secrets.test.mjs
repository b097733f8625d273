// A tracker token entered in the desktop app goes to the OS keyring and nowhere else: after
// saving it on the Evidence screen, importing from the local MLflow server with it and exporting
// both reports, no file the app wrote (database and WAL, its log file, the exports, the web
// view's storage and caches) contains the token, plain or base64-encoded. Needs the seeded
// MLflow server (ASSAY_MLFLOW_URL) and a Secret Service (scripts/test.sh runs this file under
// scripts/with-keyring.sh, which sets ASSAY_REQUIRE_KEYRING).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { screenshot, startApp } from '../support/app.mjs';
import { invoke } from '../support/ipc.mjs';

const missing = !process.env.ASSAY_MLFLOW_URL
  ? 'ASSAY_MLFLOW_URL is not set'
  : !process.env.ASSAY_REQUIRE_KEYRING && 'no Secret Service (run under scripts/with-keyring.sh)';
const token = `assay-e2e-secret-${randomBytes(12).toString('hex')}`;
const scope = 'Secrets check';
let app;
let browser;

before(async () => {
  if (missing) return;
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

/** Every regular file under `root`, recursively. */
function filesUnder(root) {
  if (!existsSync(root)) return [];
  const files = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

test('a token used for an import is found in no file the app wrote', { skip: missing }, async () => {
  await click(await byTestId('nav-evidence'));
  await (await byTestId('token-url')).waitForExist({ timeout: 10_000 });
  await (await byTestId('token-tracker')).selectByAttribute('value', 'mlflow');
  await (await byTestId('token-url')).setValue(process.env.ASSAY_MLFLOW_URL);
  await (await byTestId('token-secret')).setValue(token);
  await click(await byTestId('token-save'));
  await browser.waitUntil(
    async () => (await browser.execute(() => document.body.innerText)).includes('is in the system keyring'),
    { timeout: 10_000, timeoutMsg: 'the token was not saved to the keyring' },
  );

  await (await byTestId('import-tracker')).selectByAttribute('value', 'mlflow');
  await (await byTestId('import-url')).setValue(process.env.ASSAY_MLFLOW_URL);
  await (await byTestId('import-experiment')).setValue('credit-scoring-governance');
  await (await byTestId('import-scope')).setValue(scope);
  await (await byTestId('import-auth')).selectByAttribute('value', 'bearer');
  await click(await byTestId('import-start'));
  const summary = await byTestId('import-summary');
  await summary.waitForDisplayed({ timeout: 60_000 });
  assert.match(await summary.getText(), /Read \d+ runs?/);
  await screenshot(browser, '20-secrets-import-with-token');
  const pageText = await browser.execute(() => document.documentElement.outerHTML);
  assert.ok(!pageText.includes(token), 'the token is back in the web view');

  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope,
      title: 'Token check',
      participants: [{ name: 'Ana', role: 'Facilitator' }],
      targets: { default: 2, areas: {}, questions: {} },
    },
  });
  const exportDir = process.env.ASSAY_EXPORT_DIR;
  assert.ok(exportDir, 'scripts/e2e.sh sets ASSAY_EXPORT_DIR');
  for (const format of ['html', 'pdf']) {
    const file = path.join(exportDir, `secrets-check.${format}`);
    await invoke(browser, 'export_report', { id: assessment.id, format, path: file });
    assert.ok(statSync(file).size > 1000, `${format} report written`);
  }
  const html = readFileSync(path.join(exportDir, 'secrets-check.html'), 'utf8');
  assert.match(html, /credit-scoring-governance/, 'the report shows the imported evidence');
  const dbDir = path.dirname(app.db);
  await app.stop();
  app = null;

  // Everything the app could have written: its database folder, the exports and its own
  // XDG folders (log file, window state, the web view's storage and caches).
  const roots = [
    dbDir,
    process.env.ASSAY_E2E_WORK,
    process.env.XDG_DATA_HOME,
    process.env.XDG_CONFIG_HOME,
    process.env.XDG_CACHE_HOME,
  ].filter(Boolean);
  const files = [...new Set(roots.flatMap(filesUnder))];
  const needles = [token, Buffer.from(token).toString('base64'), Buffer.from(`:${token}`).toString('base64')];
  const found = files.filter((file) => {
    const bytes = readFileSync(file);
    return needles.some((needle) => bytes.includes(needle));
  });
  assert.deepEqual(found, [], 'the token is in these files');

  // The search covered what matters: the database, the exports and a log that saw the import.
  assert.ok(files.some((f) => f.endsWith('.db')), 'a database file was searched');
  assert.ok(files.some((f) => f.endsWith('secrets-check.pdf')), 'the PDF was searched');
  const logs = files.filter((f) => f.includes(`${path.sep}logs${path.sep}`) && f.endsWith('.log'));
  assert.ok(logs.length > 0, `the app's log file was searched (files: ${files.length})`);
  const log = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
  assert.match(log, /import of credit-scoring-governance from .*: done/, 'the log records the import');
  console.log(`# searched ${files.length} files (${logs.length} log) for the token: found in 0`);
});
