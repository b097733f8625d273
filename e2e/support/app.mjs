// Starts the real desktop app under tauri-driver + WebKitWebDriver and hands out a WebDriver
// session. scripts/e2e.sh sets APP_BIN (the debug binary), ASSAY_E2E_WORK (where databases go) and
// ASSAY_EXPORT_DIR, and runs everything under xvfb-run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const screenshotDir = path.resolve(here, '..', 'screenshots');

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve();
      });
      socket.on('error', () => {
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Launches the app (APP_BIN unless `application` names another) on a database of its own, so
 * test files do not see each other's data, or on `db`; returns the WebDriver session, the
 * database's path, the tauri-driver process and a `stop` that ends the session and the
 * driver (by its own pid: WebKit leaves zombies in some sandboxes, so never kill by name).
 */
export async function startApp({ application = process.env.APP_BIN, db = undefined, env = {} } = {}) {
  if (!application) throw new Error('APP_BIN must name the desktop app binary (scripts/e2e.sh sets it)');
  const port = await freePort();
  const nativePort = await freePort();
  db ??= path.join(mkdtempSync(path.join(process.env.ASSAY_E2E_WORK ?? os.tmpdir(), 'db-')), 'assay.db');
  // tauri-driver starts the app with its own environment, so the database is chosen here.
  const driver = spawn(
    process.env.TAURI_DRIVER ?? 'tauri-driver',
    ['--port', String(port), '--native-port', String(nativePort)],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env, ASSAY_DB: db } },
  );
  const exited = new Promise((resolve) => driver.once('exit', resolve));
  try {
    await waitForPort(port, 20_000);
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'warn',
      connectionRetryCount: 0,
      // No browserName: webdriverio must not try to download a browser or a driver.
      capabilities: {
        'tauri:options': { application },
        // WebKitWebDriver speaks classic WebDriver only, not BiDi.
        'wdio:enforceWebDriverClassic': true,
      },
    });
    const stop = async () => {
      await browser.deleteSession().catch(() => {});
      driver.kill();
      await exited;
    };
    return { browser, db, driver, stop };
  } catch (error) {
    driver.kill();
    await exited;
    throw error;
  }
}

/**
 * Saves `e2e/screenshots/<name>.png`: the virtual screen as a person would see it (ImageMagick's
 * `import` on xvfb-run's display). WebKitWebDriver's own screenshot command never answers when
 * the page is drawn without GPU compositing, as the app draws it (src-tauri/src/main.rs). Waits
 * a moment first: a screenshot taken right after a DOM change can still show the previous paint.
 * `browser` is kept so that every caller reads the same.
 */
export async function screenshot(browser, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await sleep(500);
  const file = path.join(screenshotDir, `${name}.png`);
  execFileSync('import', ['-window', 'root', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return file;
}
