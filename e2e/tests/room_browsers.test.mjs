// The live room with six real browsers: each participant is a headless Chromium at a phone's
// size, in a context of its own, that opens the join link, types the code shown in the app and
// a name (one the assessment has, a new one, a hostile one), and votes by tapping. Nobody's
// page and nothing in the app shows a level before the reveal; after it every phone shows the
// spread and the dissent; the room moves on; a phone that reloads is still in the room; and
// the votes are the assessment's and its report's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { screenshot, startApp } from '../support/app.mjs';
import { invoke } from '../support/ipc.mjs';
import { join, launchChromium, openPhone, phoneScreenshot, readPhone, vote, waitInPage } from '../support/participants.mjs';

let app;
let browser;
let chromium;

before(async () => {
  [app, chromium] = await Promise.all([startApp(), launchChromium()]);
  browser = app.browser;
  await browser.$('#app-main').waitForExist({ timeout: 15_000 });
});

after(async () => {
  await chromium?.close();
  await app?.stop();
});

const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

async function waitForText(testId, pattern) {
  const element = await byTestId(testId);
  let text = '';
  await browser.waitUntil(async () => (await element.isExisting()) && pattern.test((text = await element.getText())), {
    timeout: 15_000,
    timeoutMsg: `${testId} never matched ${pattern}: ${text}`,
  });
  return text;
}

// The room's sections of the facilitator's screen, as text, and the images in them.
const facilitatorRoom = () =>
  browser.execute(() => {
    const sections = ['room-question', 'room-devices'].map((id) => document.querySelector(`[data-testid="${id}"]`));
    return {
      text: sections.map((s) => s?.textContent ?? '').join('\n'),
      images: sections.reduce((n, s) => n + (s?.querySelectorAll('img').length ?? 0), 0),
    };
  });

// A level or a vote label as the facilitator's screen would draw a revealed vote.
const shownVotes = (source) => [...source.matchAll(/data-testid="room-revealed"|<strong>([0-4]|N\/A|don(?:'|&#39;|&apos;)t know)<\/strong>/g)];

const HOSTILE = '<img src=x onerror=alert(1)>Zoë';
const KNOWN = ['Ana Ribeiro', 'Bo Lindqvist', 'Chidi Okafor', 'Dana Kim'];

test('six phones join with the code, vote blind, see the reveal together and keep their seat', async () => {
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Recommendations',
      title: 'Workshop on phones',
      participants: KNOWN.map((name) => ({ name, role: 'ML engineer' })),
      targets: { default: 2, areas: {}, questions: {} },
    },
  });
  const id = assessment.id;
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/room`), id);
  await (await byTestId('room-bind')).setValue('127.0.0.1:0');
  const open = await byTestId('open-room');
  await open.scrollIntoView({ block: 'center' });
  await open.click();
  const url = await waitForText('room-url', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const code = await waitForText('room-code', /^[A-Z2-9]{6}$/);

  // Who types what: known names as typed (one in other case, one taken from the page's offer),
  // a new colleague, and a name that is markup.
  const people = [
    { name: 'Ana Ribeiro', types: 'Ana Ribeiro', votes: ['1'] },
    { name: 'Bo Lindqvist', types: 'Bo Lindqvist', votes: ['2', '3'] },
    { name: 'Chidi Okafor', types: 'chidi okafor', votes: ['2'] },
    { name: 'Dana Kim', types: (offered) => offered.find((n) => n.startsWith('Dana')), votes: ['na'] },
    { name: 'Eli Novak', types: 'Eli Novak', votes: ['1'] },
    { name: HOSTILE, types: HOSTILE, votes: ['dont_know'] },
  ];
  for (const person of people) {
    person.phone = await openPhone(chromium);
    const offered = await join(person.phone, url, code, person.types);
    assert.deepEqual(offered.slice(0, KNOWN.length), KNOWN, 'the page offers the assessment’s names');
    const shown = await readPhone(person.phone);
    assert.equal(shown.who, `Workshop on phones · voting as ${person.name}`, 'joined under the name as the assessment spells it');
    assert.match(shown.position, /^Question 1 of \d+/);
  }
  const [ana, bo, chidi, dana, eli, zoe] = people;

  for (const person of people) for (const value of person.votes) await vote(person.phone, value);
  await waitForText('room-voted', /^6 voted: Ana Ribeiro, Bo Lindqvist, Chidi Okafor, Dana Kim, Eli Novak, .+Zoë\. Levels stay hidden/);

  // Blind: each page holds its own vote and nobody else's; the app's screen and its IPC
  // payload hold no level at all.
  for (const person of people) {
    const shown = await readPhone(person.phone);
    const mine = { na: 'N/A', dont_know: "don't know" }[person.votes.at(-1)] ?? person.votes.at(-1);
    assert.match(shown.mine, new RegExp(`^Your vote: ${mine}\\.`));
    assert.equal(shown.state.my_vote, mine);
    assert.equal(shown.state.revealed, null);
    assert.equal(shown.revealedShown, false);
    assert.deepEqual(shown.votes, []);
    for (const other of people.filter((p) => p !== person)) {
      assert.ok(!shown.body.includes(other.name), `${person.name}'s page names ${other.name}`);
      assert.ok(!JSON.stringify(shown.state).includes(other.name), `${person.name}'s state names ${other.name}`);
    }
  }
  const zoeBefore = await readPhone(zoe.phone);
  assert.ok(zoeBefore.who.endsWith(`voting as ${HOSTILE}`), 'the hostile name is literal text');
  assert.equal(zoeBefore.images, 0, 'no <img> came out of a name');
  const status = await invoke(browser, 'room_status');
  assert.equal(status.status.revealed, null, 'the IPC payload holds no level before the reveal');
  assert.doesNotMatch(JSON.stringify(status.status), /"([0-4]|N\/A|don't know)"/);
  assert.deepEqual(shownVotes(await browser.getPageSource()), [], 'the app draws no level before the reveal');
  const facilitatorBefore = await facilitatorRoom();
  assert.ok(facilitatorBefore.text.includes(HOSTILE), 'the app lists the hostile name as text');
  assert.equal(facilitatorBefore.images, 0);
  await phoneScreenshot(bo.phone, '53-participant-phone-voted');
  // Bo is left looking at the bottom of the page, below his vote, when the votes are revealed.
  await bo.phone.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));

  await browser.keys('r');
  await waitForText('room-revealed', /Dissent/);
  assert.ok(shownVotes(await browser.getPageSource()).length >= 6, 'the same check finds the levels once revealed');
  const expected = [
    ['Ana Ribeiro', '1'],
    ['Bo Lindqvist', '3'],
    ['Chidi Okafor', '2'],
    ['Dana Kim', 'N/A'],
    ['Eli Novak', '1'],
    [HOSTILE, "don't know"],
  ];
  for (const person of people) {
    await waitInPage(person.phone.page, 'the reveal', () => /dissent/.test(document.getElementById('spread').textContent));
    const shown = await readPhone(person.phone);
    assert.equal(shown.revealedShown, true);
    assert.deepEqual(shown.votes, expected, `${person.name} sees every vote`);
    assert.match(shown.spread, /^from 1 to 3; median 1; dissent: /);
    assert.equal(shown.enabledButtons, 0, 'no vote changes after the reveal');
    assert.equal(shown.images, 0);
    assert.equal(shown.overflows, false, `${person.name}'s page is wider than the phone`);
    assert.ok(shown.smallestTarget >= 44, `${person.name}'s page has a ${shown.smallestTarget}px tap target`);
  }
  assert.equal((await readPhone(bo.phone)).revealedOnScreen, true, 'the reveal comes on screen');
  const facilitatorAfter = await facilitatorRoom();
  assert.ok(facilitatorAfter.text.includes(`${HOSTILE}don't know`), facilitatorAfter.text);
  assert.equal(facilitatorAfter.images, 0);
  await phoneScreenshot(bo.phone, '54-participant-phone-revealed', { fullPage: false });
  await browser.execute(() => document.querySelector('[data-testid="room-revealed"]').scrollIntoView({ block: 'center' }));
  await screenshot(browser, '55-room-six-browsers');

  const first = status.status.question.id;
  await (await byTestId('room-next')).click();
  await waitForText('room-voted', /^0 voted\./);
  for (const person of people) {
    await waitInPage(person.phone.page, 'question 2', () => /^Question 2 of/.test(document.getElementById('position').textContent));
    const shown = await readPhone(person.phone);
    assert.equal(shown.revealedShown, false);
    assert.match(shown.mine, /^You have not voted yet/);
    assert.equal(shown.enabledButtons, 7);
  }

  // Chidi's phone reloads the page, Dana's goes elsewhere and back: both are still in the room
  // on their tab's token, without the code, and can vote.
  const joinsBefore = [chidi, dana].map((p) => p.phone.requests.filter((r) => r === '/api/join').length);
  await chidi.phone.page.reload();
  await dana.phone.page.goto('about:blank');
  await dana.phone.page.goto(url);
  for (const person of [chidi, dana]) {
    await waitInPage(person.phone.page, 'question 2 after coming back', () => /^Question 2 of/.test(document.getElementById('position').textContent));
    const shown = await readPhone(person.phone);
    assert.ok(shown.who.endsWith(`voting as ${person.name}`));
    assert.equal(await person.phone.page.$eval('#join', (form) => form.hidden), true, 'no join form');
  }
  assert.deepEqual([chidi, dana].map((p) => p.phone.requests.filter((r) => r === '/api/join').length), joinsBefore, 'nobody joined again');
  await vote(chidi.phone, '4');
  const second = (await invoke(browser, 'room_status')).status.question.id;

  const stored = await invoke(browser, 'get_assessment', { id });
  const nameOf = Object.fromEntries(stored.participants.map((p) => [p.id, p.name]));
  assert.deepEqual(stored.participants.map((p) => p.name), people.map((p) => p.name), 'the new names joined the assessment');
  const votes = stored.votes.map((v) => [v.question_id, nameOf[v.participant_id], v.value.level ?? v.value]);
  const levelOf = (label) => (label === 'N/A' ? 'not_applicable' : Number(label));
  assert.deepEqual(
    votes.sort(),
    [...expected.filter(([, v]) => v !== "don't know").map(([name, v]) => [first, name, levelOf(v)]), [second, 'Chidi Okafor', 4]].sort(),
    "the votes are the assessment's; a don't-know is none",
  );

  // The HTML report, read in a browser: every vote under its voter, the hostile name as text.
  const report = path.join(process.env.ASSAY_EXPORT_DIR, 'room-browsers.html');
  await invoke(browser, 'export_report', { id, format: 'html', path: report });
  assert.ok(!readFileSync(report, 'utf8').includes('<img src=x'), 'the report escapes names');
  const reader = await chromium.newPage();
  await reader.goto(pathToFileURL(report).href);
  const { rows, text, hostileImages } = await reader.evaluate(() => ({
    rows: [...document.querySelectorAll('tr')].map((tr) => [...tr.cells].map((c) => c.textContent.trim())),
    text: document.body.textContent,
    hostileImages: document.querySelectorAll('img[src="x"], img[onerror]').length,
  }));
  await reader.close();
  const firstRow = rows.find((cells) => cells[0] === first && /Ana Ribeiro/.test(cells[2] ?? ''));
  assert.ok(firstRow, `the report's appendix lists the votes on ${first}`);
  assert.equal(firstRow[2], 'Ana Ribeiro 1, Bo Lindqvist 3, Chidi Okafor 2, Dana Kim N/A, Eli Novak 1');
  assert.ok(rows.some((cells) => cells[0] === second && cells[2] === 'Chidi Okafor 4'));
  assert.ok(text.includes(HOSTILE), 'the hostile name is in the report as text');
  assert.equal(hostileImages, 0);

  for (const person of people) assert.deepEqual(person.phone.dialogs, [], `${person.name}'s page raised no dialog`);
  await (await byTestId('close-room')).click();
  await byTestId('room-closed').then((e) => e.waitForExist({ timeout: 10_000 }));
});
