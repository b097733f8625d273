// Calls the app's commands from inside its web view, through Tauri's own IPC bridge, exactly as
// ui/src/ipc does; the tests of the command contract use it.
import { after, before } from 'node:test';
import { startApp } from './app.mjs';

/** Runs a command; resolves to its value or rejects with an Error carrying `code`. */
export async function invoke(browser, command, args = {}) {
  // Not `{ error }`: webdriverio takes a result with an `error` key for a WebDriver failure.
  const outcome = await browser.execute(
    (command, args) =>
      window.__TAURI_INTERNALS__.invoke(command, args).then(
        (value) => ({ value }),
        (failure) => ({ failure }),
      ),
    command,
    args,
  );
  if (outcome && 'failure' in outcome) {
    const payload = outcome.failure;
    const error = new Error(`${command}: ${payload?.code}: ${payload?.message ?? payload}`);
    error.code = payload?.code;
    error.payload = payload;
    throw error;
  }
  return outcome?.value ?? null;
}

/** Starts collecting the payloads of an app event in the page; `collected` reads them back. */
export async function collectEvents(browser, event) {
  await browser.execute(async (event) => {
    const internals = window.__TAURI_INTERNALS__;
    window.__assayEvents = window.__assayEvents ?? {};
    window.__assayEvents[event] = [];
    const handler = internals.transformCallback((e) => window.__assayEvents[event].push(e.payload));
    await internals.invoke('plugin:event|listen', { event, target: { kind: 'Any' }, handler });
  }, event);
  return () => browser.execute((event) => window.__assayEvents[event], event);
}

/**
 * Starts the app for a test file (before its tests, stopped after them) and returns the
 * session: `browser` once started, and `call`, which runs a command as `invoke` does.
 */
export function commandSession() {
  const session = {
    app: null,
    get browser() {
      return session.app.browser;
    },
    call: (command, args) => invoke(session.browser, command, args),
  };
  before(async () => {
    session.app = await startApp();
    await session.browser.$('#app-main').waitForExist({ timeout: 15_000 });
  });
  after(async () => {
    await session.app?.stop();
  });
  return session;
}
