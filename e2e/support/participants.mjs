// The live room's participants as phones: the system Chromium driven by puppeteer-core, one
// incognito context per person (so no two share storage or a session) at a phone's viewport.
// Nothing is downloaded; CHROMIUM names another binary when needed.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { screenshotDir } from './app.mjs';

export const PHONE_VIEWPORT = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Starts one headless Chromium for all the phones; close it with `browser.close()`. */
export function launchChromium() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, // Chromium's new headless mode: the same renderer as a windowed browser
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/**
 * A phone of its own: a fresh incognito context and page at a phone's viewport. `phone.dialogs`
 * collects every alert the page tried to show (a name run as markup would raise one) and
 * `phone.requests` every request path, to tell a rejoin from a reload.
 */
export async function openPhone(chromium) {
  const context = await chromium.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(PHONE_VIEWPORT);
  const phone = { context, page, dialogs: [], requests: [] };
  page.on('dialog', (dialog) => {
    phone.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on('request', (request) => phone.requests.push(new URL(request.url()).pathname));
  return phone;
}

/** Waits until `predicate(arg)`, run in the page, is true; the message says what never came. */
export async function waitInPage(page, what, predicate, arg) {
  try {
    await page.waitForFunction(predicate, { timeout: 15_000, polling: 100 }, arg);
  } catch (error) {
    const text = await page.evaluate(() => document.body.innerText).catch(() => '');
    throw new Error(`${what} never showed; the page reads:\n${text}`, { cause: error });
  }
}

/**
 * Opens the join link, types the code and then the name as a person would, and joins. Returns
 * the names the page offered once the code was complete.
 */
export async function join(phone, url, code, typeName) {
  const { page } = phone;
  await page.goto(url);
  await page.type('#code', code);
  await waitInPage(page, 'the offered names', () => !document.getElementById('known').hidden);
  const offered = await page.$$eval('#names option', (options) => options.map((o) => o.value));
  await page.type('#name', typeof typeName === 'function' ? typeName(offered) : typeName);
  await page.tap('#join button[type="submit"]');
  await waitInPage(page, 'the question after joining', () => document.getElementById('join').hidden && !document.getElementById('question').hidden);
  return offered;
}

/** Taps the button of `value` ("0".."4", "na", "dont_know") and waits for the page to confirm. */
export async function vote(phone, value) {
  const label = { na: 'N/A', dont_know: "don't know" }[value] ?? value;
  await phone.page.tap(`#question button[data-vote="${value}"]`);
  await waitInPage(
    phone.page,
    `the vote ${label}`,
    (label) => document.getElementById('mine').textContent.startsWith(`Your vote: ${label}.`),
    label,
  );
}

/** What the page shows and holds: its text, the revealed votes, and the state it fetched. */
export function readPhone(phone) {
  return phone.page.evaluate(async () => {
    const text = (id) => document.getElementById(id).textContent;
    const token = sessionStorage.getItem('assay-room-token');
    const response = await fetch('/api/state', { headers: { Authorization: `Bearer ${token}` } });
    return {
      who: text('who'),
      position: text('position'),
      mine: text('mine'),
      spread: text('spread'),
      body: document.body.textContent,
      revealedShown: !document.getElementById('revealed').hidden,
      votes: [...document.querySelectorAll('#votes li')].map((li) => [...li.children].map((c) => c.textContent)),
      enabledButtons: document.querySelectorAll('#question button[data-vote]:not(:disabled)').length,
      images: document.querySelectorAll('img').length,
      overflows: document.documentElement.scrollWidth > window.innerWidth,
      // In CSS pixels; 44 is the smallest comfortable target for a finger.
      smallestTarget: Math.min(
        ...[...document.querySelectorAll('button, input')].filter((e) => e.getClientRects().length).map((e) => e.getBoundingClientRect().height),
      ),
      revealedOnScreen: (({ top, bottom }) => bottom > 0 && top < window.innerHeight)(document.getElementById('revealed').getBoundingClientRect()),
      state: await response.json(),
    };
  });
}

/**
 * Saves `e2e/screenshots/<name>.png` at the phone's pixel ratio: the whole page, or with
 * `fullPage: false` the screen the person is looking at.
 */
export async function phoneScreenshot(phone, name, { fullPage = true } = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await phone.page.screenshot({ path: file, fullPage });
  return file;
}
