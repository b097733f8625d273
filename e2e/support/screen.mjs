// What most app tests share: the app started before the file's tests and stopped after them,
// and the few ways they find, click and wait on the app's elements.
import { after, before } from 'node:test';
import { startApp } from './app.mjs';

/** Starts the app before the file's tests, stops it after; `session.browser` is its driver. */
export function useApp(options) {
  const session = { app: null, browser: null };
  before(async () => {
    session.app = await startApp(options);
    session.browser = session.app.browser;
    await session.browser.$('#app-main').waitForExist({ timeout: 15_000 });
  });
  after(async () => {
    await session.app?.stop();
  });
  return session;
}

export const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/** Scrolls `element` to the middle of the window first, where nothing covers it. */
export async function click(element) {
  await element.scrollIntoView({ block: 'center' });
  await element.click();
}

/** The text of the element with `testId` once it matches `pattern`. */
export async function waitForText(browser, testId, pattern, timeout = 15_000) {
  const element = await byTestId(browser, testId);
  let text = '';
  await browser.waitUntil(async () => (await element.isExisting()) && pattern.test((text = await element.getText())), {
    timeout,
    timeoutMsg: `${testId} never matched ${pattern}: ${text}`,
  });
  return text;
}
