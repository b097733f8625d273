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
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp } from '../support/app.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
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
async function measure(kind, binary, work) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await measureOnce(kind, binary, work);
    } catch (error) {
      if (attempt === 3 || !/UND_ERR_SOCKET|ECONNREFUSED|did not listen/.test(String(error))) throw error;
      console.error(`${kind}: the session did not start (${error.message.split('\n')[0]}); again`);
    }
  }
}

async function measureOnce(kind, binary, work) {
  const db = path.join(work, `${kind}-${Date.now()}.db`);
  copyFileSync(seededDb, db);
  const session = await startApp({ application: binary, db });
  try {
    const found = await waitFor(session.browser, '#app-main');
    let listed = null;
    if (kind === 'assay') listed = await waitFor(session.browser, '[data-testid="assessment-row"]');
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
    if (kind === 'assay') result.saves = await answerSaves(session.browser);
    return result;
  } finally {
    await session.stop();
  }
}

/** Round trips of a consensus key press in the workshop, in milliseconds. */
async function answerSaves(browser) {
  const id = await (await browser.$('[data-testid="assessment-row"]')).getAttribute('data-assessment-id');
  await browser.execute((id) => (window.location.hash = `#/a/${id}/workshop`), id);
  await (await browser.$('[data-testid="consensus-row"]')).waitForExist({ timeout: 15_000 });
  await (await browser.$('[data-testid="consensus-row"] button.who')).click();
  return browser.execute(async (count) => {
    const shown = () => document.querySelector('[data-testid="consensus-value"]')?.textContent ?? '';
    const times = [];
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
      times.push(performance.now() - begin);
      level = level === 3 ? 1 : 3;
    }
    return times;
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
const results = { assay: [], empty: [] };
try {
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 ? ['assay', 'empty'] : ['empty', 'assay'];
    for (const kind of order) {
      const result = await measure(kind, kind === 'assay' ? assayBin : emptyBin, work);
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

const startAssay = median(results.assay.map((r) => r.start));
const startEmpty = median(results.empty.map((r) => r.start));
const pssAssay = median(results.assay.map((r) => r.pss));
const pssEmpty = median(results.empty.map((r) => r.pss));
const listed = median(results.assay.map((r) => r.listed));
const allSaves = results.assay.flatMap((r) => r.saves);

console.log(`Desktop app vs an empty Tauri 2 window, median of ${rounds} rounds (release builds, Xvfb)`);
console.log('');
console.log('| | Assay (20 assessments) | empty window | ratio | bar |');
console.log('|---|---|---|---|---|');
console.log(`| start until #app-main found | ${startAssay.toFixed(2)} s | ${startEmpty.toFixed(2)} s | ${(startAssay / startEmpty).toFixed(2)}x | 1.2x |`);
console.log(`| start until the assessments are listed | ${listed.toFixed(2)} s | | | |`);
console.log(`| PSS 5 s after start | ${pssAssay.toFixed(0)} MiB | ${pssEmpty.toFixed(0)} MiB | ${(pssAssay / pssEmpty).toFixed(2)}x | 1.15x |`);
console.log('');
console.log(
  `Answer save (key -> SQLite -> screen), ${allSaves.length} saves: p50 ${percentile(allSaves, 50).toFixed(2)} ms, ` +
    `p99 ${percentile(allSaves, 99).toFixed(2)} ms, max ${Math.max(...allSaves).toFixed(2)} ms (bar: p99 < 10 ms)`,
);
