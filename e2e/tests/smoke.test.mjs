// The app starts from a fresh database and shows its home screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, startApp } from '../support/app.mjs';

let app;

before(async () => {
  app = await startApp();
});

after(async () => {
  await app?.stop();
});

test('the app starts and shows the home screen', async () => {
  const { browser } = app;
  const main = await browser.$('#app-main');
  await main.waitForExist({ timeout: 15_000 });
  assert.equal(await browser.getTitle(), 'Assay');
  assert.ok((await main.getText()).trim().length > 0, 'the main element shows something');
  await screenshot(browser, 'home');
});
