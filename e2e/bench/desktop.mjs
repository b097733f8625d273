// Start time, memory and answer-save latency of the desktop app against an empty Tauri 2 window
// built the same way (scripts/bench-desktop.sh builds both and seeds the database).
//
// For each round, both apps are started (in alternating order) under tauri-driver:
// - start: from the app process's start (its /proc start time) until WebDriver finds the first
//   screen's `#app-main`; for Assay also until the home screen lists the assessments;
// - memory: total PSS (/proc/<pid>/smaps_rollup) of the app and every process it started
//   (WebKit's web and network processes), 5 s after the app started;
// - answer save (Assay only): a consensus key press in the workshop until the saved level is
//   back on screen (key -> IPC -> SQLite write with its audit event -> IPC -> DOM).
// Prints the medians, the ratios against the empty window and the p50/p99 of the save.
//
// Assay draws without WebKitGTK's GPU compositing (src-tauri/src/main.rs); the empty window
// uses WebKit's default. So that the comparison is like for like, each round also starts the
// empty window without compositing and Assay with it (WEBKIT_DISABLE_COMPOSITING_MODE=1 / 0).
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp } from '../support/app.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const saves = Number(process.env.BENCH_SAVES ?? 300);
const assayBin = process.env.ASSAY_APP_BIN;
const emptyBin = process.env.EMPTY_APP_BIN;
const seededDb = process.env.BENCH_DB;
if (!assayBin || !emptyBin || !seededDb) throw new Error('ASSAY_APP_BIN, EMPTY_APP_BIN and BENCH_DB must be set');

const ticksPerSecond = 100; // USER_HZ on Linux
const uptime = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces; fields follow the last ')'.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      table.set(Number(entry), {
        pid: Number(entry),
        name: stat.slice(stat.indexOf('(') + 1, close),
        ppid: Number(fields[1]),
        startedAt: Number(fields[19]) / ticksPerSecond,
      });
    } catch {
      // The process ended while the table was read.
    }
  }
  return table;
}

function descendants(table, root) {
  const found = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift();
    for (const p of table.values()) {
      if (p.ppid === pid) {
        found.push(p);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

/** The app process (a descendant of tauri-driver named after the binary) and its own descendants. */
function appProcesses(driverPid, binary) {
  const table = processTable();
  const name = path.basename(binary).slice(0, 15);
  const app = descendants(table, driverPid).find((p) => p.name === name);
  if (!app) return null;
  return { app, all: [app, ...descendants(table, app.pid)] };
}

function pssKiB(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(rollup.match(/^Pss:\s+(\d+) kB/m)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function waitFor(browser, selector) {
  for (;;) {
    if (await browser.$(selector).isExisting()) return uptime();
    await sleep(5);
  }
}

/** tauri-driver now and then fails to reach WebKitWebDriver on a fresh port; try again. */
async function measure(kind, binary, work, env) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await measureOnce(kind, binary, work, env);
    } catch (error) {
      if (attempt === 3 || !/UND_ERR_SOCKET|ECONNREFUSED|did not listen/.test(String(error))) throw error;
      console.error(`${kind}: the session did not start (${error.message.split('\n')[0]}); again`);
    }
  }
}

async function measureOnce(kind, binary, work, env) {
  const db = path.join(work, `${kind}-${Date.now()}.db`);
  copyFileSync(seededDb, db);
  const session = await startApp({ application: binary, db, env });
  try {
    const found = await waitFor(session.browser, '#app-main');
    let listed = null;
    if (binary === assayBin) listed = await waitFor(session.browser, '[data-testid="assessment-row"]');
    const processes = appProcesses(session.driver.pid, binary);
    if (!processes) throw new Error(`no ${binary} process under tauri-driver`);
    const started = processes.app.startedAt;
    const wait = started + 5 - uptime();
    if (wait > 0) await sleep(wait * 1000);
    // Read the tree again: WebKit may start processes after the first screen.
    const tree = appProcesses(session.driver.pid, binary).all.map((p) => ({ ...p, pss: pssKiB(p.pid) / 1024 }));
    const pss = tree.reduce((sum, p) => sum + p.pss, 0);
    const result = {
      start: found - started,
      listed: listed === null ? null : listed - started,
      pss,
      processes: tree.map((p) => `${p.name} ${p.pss.toFixed(0)}`).sort().join(', '),
    };
    if (kind === 'assay') {
      result.saves = await answerSaves(session.browser);
      result.ipc = await ipcRoundTrips(session.browser);
    }
    return result;
  } finally {
    await session.stop();
  }
}

/**
 * Round trips of a consensus key press in the workshop, in milliseconds: until the saved level
 * is in the DOM (`dom`), and until the frame after that has been drawn (`frame`: a
 * requestAnimationFrame callback, then a task, which runs after that frame's paint). Presses
 * are 50 ms apart, faster than anyone types a vote but with time for each frame, as in use.
 * Batches of 100 keep each WebDriver script well inside its time limit.
 */
async function answerSaves(browser) {
  const id = await (await browser.$('[data-testid="assessment-row"]')).getAttribute('data-assessment-id');
  await browser.execute((id) => (window.location.hash = `#/a/${id}/workshop`), id);
  await (await browser.$('[data-testid="consensus-row"]')).waitForExist({ timeout: 15_000 });
  await (await browser.$('[data-testid="consensus-row"] button.who')).click();
  const all = { dom: [], frame: [] };
  for (let done = 0; done < saves; done += 100) {
    const batch = await browser.execute(async (count) => {
      const shown = () => document.querySelector('[data-testid="consensus-value"]')?.textContent ?? '';
      const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const times = { dom: [], frame: [] };
      let level = shown() === 'Level 3' ? 1 : 3;
      for (let i = 0; i < count; i += 1) {
        const wanted = `Level ${level}`;
        const target = document.querySelector('[data-testid="consensus-row"]');
        const seen = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            if (shown() === wanted) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(target, { subtree: true, childList: true, characterData: true });
        });
        const begin = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: String(level) }));
        await seen;
        times.dom.push(performance.now() - begin);
        await painted();
        times.frame.push(performance.now() - begin);
        level = level === 3 ? 1 : 3;
        await pause(50);
      }
      return times;
    }, Math.min(100, saves - done));
    all.dom.push(...batch.dom);
    all.frame.push(...batch.frame);
  }
  return all;
}

/**
 * The same save through the IPC bridge alone (no key handling, no rendering), and a command that
 * does nothing, to tell the bridge's share of the round trip from the screen's.
 */
async function ipcRoundTrips(browser) {
  return browser.execute(async (count) => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const id = location.hash.split('/')[2]; // #/a/<id>/workshop
    const bank = await invoke('get_bank');
    const question = bank.questions[0].id;
    const time = async (call) => {
      const times = [];
      for (let i = 0; i < count; i += 1) {
        const begin = performance.now();
        await call(i);
        times.push(performance.now() - begin);
      }
      return times;
    };
    const save = (i) => invoke('update_answer', { id, question, change: { rating: { kind: 'level', level: i % 2 ? 1 : 3 } } });
    return { save: await time(save), noop: await time(() => invoke('cancel_import')) };
  }, saves);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

const work = mkdtempSync(path.join(os.tmpdir(), 'assay-bench-desktop-'));
// The four apps of a round; the answer saves are measured on Assay as shipped only.
const compositing = (on) => ({ WEBKIT_DISABLE_COMPOSITING_MODE: on ? '0' : '1' });
const kinds = {
  assay: { binary: assayBin, env: {}, label: 'Assay (as shipped: no GPU compositing)' },
  empty: { binary: emptyBin, env: {}, label: 'empty window (WebKit default: compositing)' },
  'empty-flat': { binary: emptyBin, env: compositing(false), label: 'empty window, no compositing' },
  'assay-composited': { binary: assayBin, env: compositing(true), label: 'Assay with compositing' },
};
const results = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
try {
  for (let round = 0; round < rounds; round += 1) {
    const names = Object.keys(kinds);
    // Rotate the order so that no app always starts first (cold caches) or last.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const kind of order) {
      const { binary, env } = kinds[kind];
      const result = await measure(kind, binary, work, env);
      results[kind].push(result);
      console.error(
        `round ${round + 1} ${kind}: start ${result.start.toFixed(2)} s` +
          (result.listed === null ? '' : `, assessments listed ${result.listed.toFixed(2)} s`) +
          `, PSS ${result.pss.toFixed(0)} MiB (MiB each: ${result.processes})`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const start = (kind) => median(results[kind].map((r) => r.start));
const pss = (kind) => median(results[kind].map((r) => r.pss));
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
const domSaves = results.assay.flatMap((r) => r.saves.dom);
const frameSaves = results.assay.flatMap((r) => r.saves.frame);

console.log(`Desktop app vs an empty Tauri 2 window, median of ${rounds} rounds (release builds, Xvfb)`);
console.log('');
console.log('| | start until #app-main found | PSS 5 s after start |');
console.log('|---|---|---|');
for (const [kind, { label }] of Object.entries(kinds)) {
  console.log(`| ${label} | ${start(kind).toFixed(2)} s | ${pss(kind).toFixed(0)} MiB |`);
}
console.log('');
console.log('| ratio | start (bar 1.2x) | PSS (bar 1.15x) |');
console.log('|---|---|---|');
for (const [label, a, b] of [
  ['Assay as shipped / empty window as built', 'assay', 'empty'],
  ['like for like, no compositing in either', 'assay', 'empty-flat'],
  ['like for like, compositing in both', 'assay-composited', 'empty'],
]) {
  console.log(`| ${label} | ${ratio(start(a), start(b))} | ${ratio(pss(a), pss(b))} |`);
}
console.log('');
console.log(`Assay lists the 20 assessments ${median(results.assay.map((r) => r.listed)).toFixed(2)} s after start.`);
const spread = (times) =>
  `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;
console.log(`Answer save, ${domSaves.length} key presses 50 ms apart (performance.now() has 1 ms steps in WebKit):`);
console.log(`  key -> IPC -> SQLite -> IPC -> the level in the DOM: ${spread(domSaves)} (bar: p99 < 10 ms)`);
console.log(`  the same, until the next frame is drawn: ${spread(frameSaves)}`);
for (const [label, key] of [['the same save through IPC alone', 'save'], ['a command that does nothing', 'noop']]) {
  const times = results.assay.flatMap((r) => r.ipc[key]);
  console.log(`  ${label}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`);
}
