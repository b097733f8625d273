// The live room in the real app: the facilitator opens it from the assessment, six
// participants join over HTTP with the code shown and vote blind (the screen and the IPC
// payloads hold no level until the reveal), the reveal shows the spread and the dissent, the
// room moves on, a device that lost its connection carries on with its token, and the votes
// are the assessment's.
import { after, before, test } from 'node:test';
import tls from 'node:tls';
import assert from 'node:assert/strict';
import { screenshot, startApp } from '../support/app.mjs';
import { invoke } from '../support/ipc.mjs';

let app;
let browser;

before(async () => {
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

async function waitForText(testId, pattern) {
  const element = await byTestId(testId);
  let text = '';
  await browser.waitUntil(async () => (await element.isExisting()) && pattern.test((text = await element.getText())), {
    timeout: 15_000,
    timeoutMsg: `${testId} never matched ${pattern}: ${text}`,
  });
  return text;
}

async function call(url, method, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

test('six participants vote blind from their own devices and the facilitator reveals', async () => {
  const people = ['Ana', 'Bo', 'Chidi', 'Dana', 'Eli', 'Fatima'];
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Recommendations',
      title: 'Live workshop',
      participants: people.map((name) => ({ name, role: 'ML engineer' })),
      targets: { default: 2, areas: {}, questions: {} },
    },
  });
  const id = assessment.id;
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/room`), id);
  await (await byTestId('room-bind')).setValue('127.0.0.1:0');
  await click(await byTestId('open-room'));
  const url = await waitForText('room-url', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const code = await waitForText('room-code', /^[A-Z2-9]{6}$/);
  assert.ok(await (await byTestId('room-qr')).$('svg').isExisting(), 'the QR code is drawn');

  const tokens = {};
  for (const name of people) {
    const joined = await call(`${url}api/join`, 'POST', null, { code, name });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    tokens[name] = joined.body.token;
  }
  const votes = { Ana: '1', Bo: '3', Chidi: '2', Dana: '3', Eli: 'na', Fatima: 'dont_know' };
  for (const [name, value] of Object.entries(votes)) {
    const cast = await call(`${url}api/vote`, 'PUT', tokens[name], { value });
    assert.equal(cast.status, 200, JSON.stringify(cast.body));
  }
  await waitForText('room-voted', /^6 voted: Ana, Bo, Chidi, Dana, Eli, Fatima\. Levels stay hidden until you reveal\./);
  assert.equal(await (await byTestId('room-revealed')).isExisting(), false);
  const before = await invoke(browser, 'room_status');
  assert.equal(before.status.revealed, null, 'the IPC payload holds no level before the reveal');
  assert.doesNotMatch(JSON.stringify(before.status), /"(1|3|N\/A|don't know)"/);
  await screenshot(browser, '50-room-before-reveal');

  // The Workshop tab of the same assessment shows who voted, not what, while the room has
  // the question open.
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/workshop`), id);
  await waitForText('blind-votes', /votes stay hidden here until the room reveals them/);
  const voteTexts = async () => {
    const texts = [];
    for (const cell of await browser.$$('[data-testid="vote-value"]')) texts.push(await cell.getText());
    return texts;
  };
  await browser.waitUntil(async () => (await voteTexts()).filter((t) => t === 'voted').length === 5, {
    timeout: 10_000,
    timeoutMsg: 'the workshop did not show five devices as voted',
  });
  const shown = await voteTexts();
  assert.deepEqual(shown, ['voted', 'voted', 'voted', 'voted', 'voted', '–'], "Fatima's don't-know is not a vote");
  assert.equal(await (await byTestId('dissent-flag')).isExisting(), false);
  assert.equal(await browser.$('[data-testid="anchor"].suggested').isExisting(), false, 'no median is marked on the anchors');
  assert.equal(await (await byTestId('accept-votes')).isEnabled(), false);
  await screenshot(browser, '52-workshop-blind');
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/room`), id);
  await waitForText('room-voted', /^6 voted/);

  await browser.keys('r');
  const revealed = await waitForText('room-revealed', /Dissent/);
  assert.match(revealed, /Ana\s*1\s*Bo\s*3/);
  assert.match(revealed, /Fatima\s*don't know/);
  await screenshot(browser, '51-room-revealed');
  const seen = await call(`${url}api/state`, 'GET', tokens.Bo);
  assert.equal(seen.body.revealed.dissent, true);

  await click(await byTestId('room-next'));
  await waitForText('room-voted', /^0 voted\./);
  // A phone that slept comes back with its token and sees the current question.
  const back = await call(`${url}api/state`, 'GET', tokens.Chidi);
  assert.equal(back.body.question.position, 2);

  const stored = await invoke(browser, 'get_assessment', { id });
  assert.equal(stored.votes.length, 5, "five votes; a don't-know is not a vote");

  // Fatima joins again from her laptop under a misspelt name and votes there; the facilitator
  // merges that device into Fatima and renames Eli as the report should show him.
  const typo = await call(`${url}api/join`, 'POST', null, { code, name: 'Fatma' });
  assert.equal((await call(`${url}api/vote`, 'PUT', typo.body.token, { value: '2' })).status, 200);
  const deviceRow = async (name) => {
    let found = null;
    await browser.waitUntil(
      async () => {
        for (const row of await browser.$$('[data-testid="room-device"]')) {
          if ((await row.getText()).startsWith(`${name} (`)) found = row;
        }
        return found !== null;
      },
      { timeout: 10_000, timeoutMsg: `no device row for ${name}` },
    );
    return found;
  };
  await click(await (await deviceRow('Fatma')).$('button=Merge…'));
  await (await byTestId('room-merge-into')).selectByVisibleText('Fatima');
  await click(await byTestId('room-edit-save'));
  await deviceRow('Fatima');
  await click(await (await deviceRow('Eli')).$('button=Rename'));
  await (await byTestId('room-rename-input')).setValue('Eli Cohen');
  await click(await byTestId('room-edit-save'));
  await deviceRow('Eli Cohen');
  await screenshot(browser, '56-room-devices-merged');
  const merged = await invoke(browser, 'get_assessment', { id });
  assert.deepEqual(
    merged.participants.map((p) => p.name),
    ['Ana', 'Bo', 'Chidi', 'Dana', 'Eli Cohen', 'Fatima'],
    'the misspelt participant was folded into Fatima',
  );
  const fatima = merged.participants.find((p) => p.name === 'Fatima');
  assert.equal(merged.votes.filter((v) => v.participant_id === fatima.id).length, 1, "Fatma's vote is now Fatima's");
  assert.equal((await call(`${url}api/state`, 'GET', typo.body.token)).body.participant, 'Fatima');
  await click(await byTestId('close-room'));
  await byTestId('room-closed').then((e) => e.waitForExist({ timeout: 10_000 }));
  const gone = await fetch(`${url}api/state`, { headers: { Authorization: `Bearer ${tokens.Ana}` } }).catch(() => null);
  assert.equal(gone, null, 'the room stopped listening');
});

test('a room over HTTPS shows the fingerprint of the certificate participants are served', async () => {
  const assessment = await invoke(browser, 'create_assessment', {
    input: {
      scope: 'Payments',
      title: 'Workshop over HTTPS',
      participants: [{ name: 'Ana', role: 'ML engineer' }],
      targets: { default: 2, areas: {}, questions: {} },
    },
  });
  await browser.execute((aid) => (window.location.hash = `#/a/${aid}/room`), assessment.id);
  await (await byTestId('room-bind')).setValue('127.0.0.1:0');
  await click(await byTestId('room-tls'));
  await click(await byTestId('open-room'));
  const url = new URL(await waitForText('room-url', /^https:\/\/127\.0\.0\.1:\d+\/$/));
  const shown = (await waitForText('room-fingerprint', /([0-9A-F]{2}:){31}[0-9A-F]{2}/)).match(/([0-9A-F]{2}:){31}[0-9A-F]{2}/)[0];
  // What a participant's browser is served: a self-signed certificate whose fingerprint is the
  // one on the facilitator's screen.
  const served = await new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
  assert.equal(served, shown);
  await screenshot(browser, '57-room-https');
  await click(await byTestId('close-room'));
  await byTestId('room-closed').then((e) => e.waitForExist({ timeout: 10_000 }));
});
