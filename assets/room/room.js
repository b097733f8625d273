// The room's pages: plain DOM, no framework, nothing loaded from elsewhere. Every piece of text
// that came from a person (names, questions, anchors) is set with textContent, never as markup.
'use strict';

const $ = (id) => document.getElementById(id);
const page = document.body.dataset.page;

function show(id, visible) {
  $(id).hidden = !visible;
}

function fail(message) {
  $('error').textContent = message;
  show('error', true);
}

function clearError() {
  show('error', false);
}

async function call(method, path, token, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({ code: 'bad_response', message: `the room answered ${response.status}` }));
  if (!response.ok) {
    const error = new Error(data.message || `the room answered ${response.status}`);
    error.code = data.code;
    throw error;
  }
  return data;
}

function renderVotes(revealed) {
  const list = $('votes');
  list.replaceChildren();
  for (const [name, vote] of revealed.votes) {
    const item = document.createElement('li');
    const who = document.createElement('span');
    who.textContent = name;
    const what = document.createElement('strong');
    what.textContent = vote;
    item.append(who, what);
    list.append(item);
  }
  const parts = [];
  if (revealed.lowest !== null) parts.push(`from ${revealed.lowest} to ${revealed.highest}`);
  if (revealed.suggested !== null) parts.push(`median ${revealed.suggested}`);
  if (revealed.dissent) parts.push('dissent: the votes are two or more levels apart, discuss before settling');
  $('spread').textContent = parts.join('; ');
}

function renderQuestion(question) {
  $('position').textContent = `Question ${question.position} of ${question.total} \u00b7 ${question.id}`;
  $('title').textContent = question.title;
  $('text').textContent = question.text;
}

// ---------------------------------------------------------------- participant

const TOKEN_KEY = 'assay-room-token';

function participant() {
  let token = sessionStorage.getItem(TOKEN_KEY);
  let voting = false;
  let latestRequest = 0;
  let shownQuestion = null;

  // The label the room gives a vote, to mark the button of this device's own vote.
  const voteLabel = (value) => ({ na: 'N/A', dont_know: "don't know" })[value] ?? value;

  function levelButton(anchor, level) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.vote = String(level);
    const number = document.createElement('strong');
    number.textContent = String(level);
    const text = document.createElement('span');
    text.textContent = anchor;
    button.append(number, text);
    item.append(button);
    return item;
  }

  async function refresh() {
    if (!token) {
      show('join', true);
      return;
    }
    // Polls and the refresh after a vote can answer out of order: only the latest is drawn.
    const request = ++latestRequest;
    try {
      const view = await call('GET', '/api/state', token);
      if (request !== latestRequest) return;
      clearError();
      show('join', false);
      $('scope').textContent = view.scope;
      $('who').textContent = `${view.title} \u00b7 voting as ${view.participant}`;
      show('waiting', !view.question);
      show('question', Boolean(view.question));
      if (view.question) {
        renderQuestion(view.question);
        // Rebuilt only when the question changes: a button replaced under a finger loses the tap.
        if (shownQuestion !== view.question.id) {
          $('levels').replaceChildren(...view.question.anchors.map(levelButton));
          // A new question starts at the top, not where the phone was scrolled on the last one.
          if (shownQuestion !== null) window.scrollTo(0, 0);
          shownQuestion = view.question.id;
        }
        document.querySelectorAll('#question button[data-vote]').forEach((button) => {
          const chosen = view.my_vote === voteLabel(button.dataset.vote);
          button.disabled = Boolean(view.revealed);
          button.classList.toggle('chosen', chosen);
          button.setAttribute('aria-pressed', String(chosen));
        });
        $('mine').textContent = view.my_vote === null
          ? 'You have not voted yet. Nobody sees your vote until the facilitator reveals.'
          : `Your vote: ${view.my_vote}. You can change it until the reveal.`;
      }
      const revealedAlready = !$('revealed').hidden;
      show('revealed', Boolean(view.revealed));
      if (view.revealed) {
        renderVotes(view.revealed);
        // The votes are the news: bring them on screen however far down the phone is scrolled.
        if (!revealedAlready) $('revealed').scrollIntoView({ block: 'start' });
      }
    } catch (error) {
      if (request !== latestRequest) return;
      if (error.code === 'not_joined') {
        sessionStorage.removeItem(TOKEN_KEY);
        token = null;
        show('question', false);
        show('revealed', false);
        show('join', true);
      }
      fail(error.message);
    }
  }

  // Once the code is complete, offer the assessment's participants as names to pick.
  $('code').addEventListener('input', async () => {
    const code = $('code').value.trim();
    if (code.length !== 6) return;
    try {
      const { names } = await call('POST', '/api/participants', null, { code });
      const list = $('names');
      list.replaceChildren(...names.map((name) => Object.assign(document.createElement('option'), { value: name })));
      show('known', names.length > 0);
      clearError();
    } catch (error) {
      fail(error.message);
    }
  });

  $('join').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const joined = await call('POST', '/api/join', null, { code: $('code').value, name: $('name').value });
      token = joined.token;
      sessionStorage.setItem(TOKEN_KEY, token);
      await refresh();
    } catch (error) {
      fail(error.message);
    }
  });

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-vote]');
    if (!button || !token || voting) return;
    voting = true;
    try {
      await call('PUT', '/api/vote', token, { value: button.dataset.vote });
      await refresh();
    } catch (error) {
      fail(error.message);
    } finally {
      voting = false;
    }
  });

  refresh();
  // A phone that slept or lost the network picks up the current question when it is back.
  setInterval(refresh, 1500);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && refresh());
}

// ---------------------------------------------------------------- facilitator

function facilitator() {
  const token = decodeURIComponent(location.hash.slice(1));
  const command = (name, body) => call('POST', `/api/facilitator/${name}`, token, body ?? {}).then(render).catch((e) => fail(e.message));

  function render(status) {
    clearError();
    $('scope').textContent = `${status.scope}: ${status.title}`;
    $('join-url').textContent = status.join_url;
    $('code').textContent = status.code;
    $('expires').textContent = `valid until ${new Date(status.code_expires_at).toLocaleTimeString()}`;
    $('fingerprint').textContent = status.tls_fingerprint
      ? `HTTPS. Certificate SHA-256 (participants compare it when their browser warns): ${status.tls_fingerprint}`
      : 'Plain HTTP: anyone on this network can read the votes in transit.';
    if (status.question) renderQuestion(status.question);
    const voted = status.voted.length;
    $('voted').textContent = `${voted} voted${voted ? `: ${status.voted.join(', ')}` : ''}. Levels stay hidden until you reveal.`;
    show('revealed', Boolean(status.revealed));
    if (status.revealed) renderVotes(status.revealed);
    const devices = $('devices');
    devices.replaceChildren();
    for (const device of status.devices) {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = `${device.name} (${device.id})${device.has_voted ? ' \u2713 voted' : ''}`;
      const button = (label, action) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = label;
        b.addEventListener('click', action);
        return b;
      };
      // A prompt stops the page's polling while it is open, so the list cannot change under it.
      const rename = button('Rename', () => {
        const name = window.prompt(`New name for ${device.name} (for the assessment and its report too)`, device.name);
        if (name && name.trim()) command('rename', { device: device.id, name });
      });
      const others = status.participants.filter((p) => p !== device.name);
      const merge = button('Merge…', () => {
        const into = window.prompt(`${device.name} votes from now on as (one of: ${others.join(', ')})`);
        if (into && into.trim()) command('merge', { device: device.id, into });
      });
      merge.disabled = others.length === 0;
      const kick = button('Remove', () => command('kick', { device: device.id }));
      const actions = document.createElement('span');
      actions.append(rename, merge, kick);
      item.append(name, actions);
      devices.append(item);
    }
  }

  const refresh = () => call('GET', '/api/facilitator/state', token).then(render).catch((e) => fail(e.message));
  $('previous').addEventListener('click', () => command('previous'));
  $('next').addEventListener('click', () => command('next'));
  $('reveal').addEventListener('click', () => command('reveal'));
  $('rotate').addEventListener('click', () => command('rotate-code'));
  document.addEventListener('keydown', (event) => {
    if (event.target.closest('input, textarea')) return;
    if (event.key === 'r') command('reveal');
    if (event.key === 'ArrowRight') command('next');
    if (event.key === 'ArrowLeft') command('previous');
  });
  refresh();
  setInterval(refresh, 1000);
}

if (page === 'participant') participant();
if (page === 'facilitator') facilitator();
