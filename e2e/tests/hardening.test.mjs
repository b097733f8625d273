// The web view's defences, checked on the real app: the Content-Security-Policy stops inline
// scripts, eval and requests to other hosts; plugin commands the screens do not use are refused;
// commands given out-of-range, malformed or oversized arguments fail with {code, message} and
// leave the data as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandSession } from '../support/ipc.mjs';

const session = commandSession();
const call = session.call;

/** The rejection of a command: its code (or Tauri's own message when it has none). */
async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the command was expected to fail');
}

test('the CSP blocks inline scripts, eval and other hosts', async () => {
  const outcome = await session.browser.execute(async () => {
    const result = {};
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.body.appendChild(script);
    result.inline = window.__inlineRan === true;
    try {
      result.eval = new Function('return 1')() === 1;
    } catch {
      result.eval = false;
    }
    const image = document.createElement('img');
    result.remoteImage = await new Promise((resolve) => {
      image.onload = () => resolve(true);
      image.onerror = () => resolve(false);
      image.src = 'http://127.0.0.1:9/pixel.png';
    });
    try {
      await fetch('http://127.0.0.1:9/');
      result.fetch = true;
    } catch {
      result.fetch = false;
    }
    result.scripts = [...document.scripts].map((s) => s.src || 'inline');
    return result;
  });
  assert.equal(outcome.inline, false, 'an inline script ran');
  assert.equal(outcome.eval, false, 'eval is allowed');
  assert.equal(outcome.remoteImage, false, 'an image from another host loaded');
  assert.equal(outcome.fetch, false, 'a request to another host was made');
  assert.ok(
    outcome.scripts.every((src) => src.startsWith('tauri://localhost/') || src === 'inline'),
    `scripts come from the app only: ${outcome.scripts}`,
  );
});

test('plugin commands the screens do not use are refused', async () => {
  for (const [command, args] of [
    ['plugin:dialog|open', { options: {} }],
    ['plugin:dialog|save', { options: {} }],
    ['plugin:opener|open_url', { url: 'https://example.com' }],
    ['plugin:opener|open_path', { path: '/etc/passwd' }],
    ['plugin:fs|read_file', { path: '/etc/passwd' }],
    ['plugin:shell|execute', { program: 'sh', args: ['-c', 'true'] }],
    ['plugin:window|close', { label: 'main' }],
  ]) {
    const error = await rejection(call(command, args));
    assert.match(error.message, /not allowed|not found|denied|unknown/i, `${command}: ${error.message}`);
  }
});

test('out-of-range, malformed and oversized arguments are refused and change nothing', async () => {
  const created = await call('create_assessment', {
    input: { scope: 'Hardening', title: 'Inputs', participants: [{ name: 'Ana', role: 'Facilitator' }], targets: { default: 2, areas: {}, questions: {} } },
  });
  const id = created.id;
  const bank = await call('get_bank');
  const question = bank.questions[0].id;
  await call('update_answer', { id, question, change: { rating: { kind: 'level', level: 2 }, note: 'kept' } });
  const before = await call('get_assessment', { id });

  const cases = [
    ['a level above 4', 'cast_vote', { id, question, participant: 'Ana', value: { level: 5 } }],
    ['a negative level', 'cast_vote', { id, question, participant: 'Ana', value: { level: -1 } }],
    ['a level as text', 'cast_vote', { id, question, participant: 'Ana', value: { level: 'three' } }],
    ['an unknown question', 'cast_vote', { id, question: '../../etc/passwd', participant: 'Ana', value: { level: 1 } }],
    ['an unknown participant', 'cast_vote', { id, question, participant: 'Mallory', value: { level: 1 } }],
    ['an unknown assessment', 'update_answer', { id: 'ffffffff-0000', question, change: { note: 'x' } }],
    ['a rating of an unknown kind', 'update_answer', { id, question, change: { rating: { kind: 'maybe' } } }],
    ['N/A without a justification', 'update_answer', { id, question, change: { rating: { kind: 'not_applicable', justification: '' } } }],
    ['a 2 MB note', 'update_answer', { id, question, change: { note: 'x'.repeat(2_000_000) } }],
    ['a note with NUL', 'update_answer', { id, question, change: { note: 'a\u0000b' } }],
    ['a confidence out of range', 'update_answer', { id, question, change: { confidence: 'certain' } }],
    ['a missing argument', 'update_answer', { id, question }],
    ['an argument of the wrong type', 'get_assessment', { id: 42 }],
    ['an empty participant name', 'add_participant', { id, name: '   ', role: 'x' }],
    ['a gap of an unknown question', 'item_from_gap', { id, question: 'NOPE-1' }],
    ['an unknown item', 'update_item', { itemId: 'no-such-item', change: { owner: 'x' } }],
    ['an unknown decision', 'sign_off', { id, name: 'Dana', role: 'Auditor', decision: 'maybe', comment: '' }],
    ['an unknown report format', 'export_report', { id, format: 'docx', path: '/tmp/x.docx' }],
    ['an export to a folder that does not exist', 'export_report', { id, format: 'html', path: '/nonexistent-dir/r.html' }],
    ['opening a file the app did not export', 'open_export', { id, path: '/etc/passwd' }],
    ['a diff of unknown assessments', 'diff', { from: 'aaaa0000', to: 'bbbb0000' }],
    ['an import from a file URL', 'import_evidence', { request: { target: { tracker: 'mlflow', url: 'file:///etc/passwd', experiment: 'x' }, auth: 'none', full: true, scope: null } }],
    ['a token for an unknown tracker', 'set_token', { tracker: 'gitlab', url: 'https://x', user: null, secret: 's' }],
  ];
  for (const [what, command, args] of cases) {
    const error = await rejection(call(command, args));
    assert.ok(error.message.length > 0, `${what}: no message`);
    assert.ok(!/panick|RUST_BACKTRACE/i.test(error.message), `${what}: ${error.message}`);
  }

  const after = await call('get_assessment', { id });
  assert.deepEqual(after.answers, before.answers, 'answers unchanged');
  assert.deepEqual(after.votes, before.votes, 'votes unchanged');
  assert.deepEqual(after.participants, before.participants, 'participants unchanged');
  // The app still answers normally after all of that.
  const vote = await call('cast_vote', { id, question, participant: 'Ana', value: { level: 3 } });
  assert.equal(vote.suggested, 3);
});
