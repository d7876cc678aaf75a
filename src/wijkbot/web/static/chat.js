/*
 * wijkbot — residents' web chat (page GET /chat, rendered by web/chat_page.py; script /static/chat.js). Sends the resident's messages to
 * POST /api/webchat/messages and polls GET /api/webchat/messages for what the municipality sends back.
 * Invariants:
 *  - Message text (resident and officer) reaches the DOM only via textContent / Text nodes, never innerHTML;
 *    links are built as <a> elements and only for http(s) URLs.
 *  - The session id lives in localStorage["wijkbot.session"]; the resident's own messages (the API returns
 *    only outbound ones) in localStorage["wijkbot.sent.<session>"].
 *  - CSP-safe: no inline scripts or styles, no event handler attributes, no third-party resources.
 *  - Every message carries a client id (`id`); a retry of the same message (same session, text and choice)
 *    reuses it, so the server stores it once even when an earlier attempt did arrive.
 *  - The resident reads only the page's own texts about a failed send, never the server's `error` string.
 *  - `locale` is the page language (<html lang>, chosen by the server from ?lang=): the server uses it only for
 *    a new conversation; /taal decides after that. Every text shown comes from the page's #chat-texts block.
 *  - The page sets no length limit of its own: the server keeps a long message whole and refuses only a body
 *    above its limit (413, ~256 KB), which the page then explains. The counter only counts, never in red.
 *  - Only the newest municipality message's buttons can be pressed, and only while the resident has not written
 *    after it (`refreshActions`); a stored own message remembers the newest municipality message it followed
 *    (`after`), so a reload shows answered questions with their buttons disabled.
 */
'use strict';
(() => {
  const API = '/api/webchat/messages', SESSION_KEY = 'wijkbot.session';
  const POLL_MS = 1500, MAX_BACKOFF_MS = 30000, COUNTER_FROM = 4000;
  // The page's texts, in its language, from the server (locales/webchat.po): none are written here.
  const locale = document.documentElement.lang || 'nl';
  const texts = JSON.parse(document.getElementById('chat-texts').textContent);
  const fill = (text, n) => text.replace('{n}', n.toLocaleString(locale === 'en' ? 'en-GB' : 'nl-NL'));
  const t = {
    you: texts.you, them: texts.them, caseRef: texts.case_ref, actions: texts.actions, started: texts.started,
    typeFirst: texts.type_first, offline: texts.offline, sendFailed: texts.send_failed, tooLarge: texts.too_large,
    badRequest: texts.bad_request, counter: (n) => fill(texts.counter, n), rate: (n) => fill(texts.rate, n),
  };
  const $ = (id) => document.getElementById(id);
  const log = $('chat-log'), input = $('chat-input'), sendBtn = $('chat-send'), statusEl = $('chat-status');
  const counter = $('chat-counter'), empty = $('chat-empty'), form = $('chat-form');

  // Storage tolerates a disabled localStorage (then nothing survives a reload).
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch { return null; } },
    set(k, v) { try { localStorage.setItem(k, v); } catch { /* full or disabled */ } },
    del(k) { try { localStorage.removeItem(k); } catch { /* disabled */ } } };
  const newId = () => (crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));
  let session = store.get(SESSION_KEY);
  if (!/^[A-Za-z0-9-]{16,64}$/.test(session || '')) { session = newId(); store.set(SESSION_KEY, session); }
  const sentKey = (s) => `wijkbot.sent.${s}`;
  function loadSent(s) {
    try { const v = JSON.parse(store.get(sentKey(s)) || '[]'); return Array.isArray(v) ? v : []; } catch { return []; }
  }
  const saveSent = (s, item) => store.set(sentKey(s), JSON.stringify(loadSent(s).concat(item).slice(-300)));

  let items = [], seen = new Set();   // items: [{t: ms, el}] in display order; seen: outbound ids shown
  let lastId = 0, gen = 0, timer = 0, inflight = false, failures = 0;
  let sending = false, blockedUntil = 0, statusKind = '';
  let pending = null;   // {session, text, choice, id}: the last message not (known to be) accepted, for retries

  // The language switch keeps the page's other parameters.
  const sw = $('lang-switch'), other = sw.getAttribute('hreflang'), swUrl = new URL(location.href);
  swUrl.searchParams.set('lang', other);
  sw.href = swUrl.pathname + swUrl.search;

  function setStatus(text, kind = '') {
    statusKind = text ? kind : '';
    statusEl.textContent = text || '';
    statusEl.classList.toggle('status-error', !!text && kind !== '' && kind !== 'hint');
    // An empty send is an error at the field (WCAG 3.3.1): invalid, and described by the hint while it shows.
    if (statusKind === 'hint') input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', `chat-hint chat-counter${statusKind === 'hint' ? ' chat-status' : ''}`);
  }
  const pad = (n) => String(n).padStart(2, '0');
  const parseTime = (v, fallback) => { const n = Date.parse(v || ''); return Number.isNaN(n) ? fallback : n; };
  const el = (tag, cls = '', text = '') => Object.assign(document.createElement(tag), { className: cls, textContent: text });

  // Appends text as Text nodes; http(s) URLs become <a> elements (href checked via the URL parser).
  function appendLinked(parent, text) {
    let last = 0;
    for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>"']+/gi)) {
      const raw = m[0].replace(/[.,;:!?)\]]+$/, '');
      let url = null;
      try { url = new URL(raw); } catch { /* not a URL */ }
      parent.append(document.createTextNode(text.slice(last, m.index)));
      const ok = url && (url.protocol === 'http:' || url.protocol === 'https:');
      parent.append(ok ? Object.assign(el('a', '', raw), { href: url.href, rel: 'noopener noreferrer' })
        : document.createTextNode(raw));
      last = m.index + raw.length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  // Renders one message and inserts it by time; equal times keep arrival order.
  // `id`: an outbound message's server id; `after`: for an own message, the newest outbound id it followed.
  function render({ inbound, text, time, caseRef, actions, id, after }) {
    const msg = el('div', `msg ${inbound ? 'msg-in' : 'msg-out'}`);
    msg.dataset.case = caseRef || '';
    const d = new Date(time), meta = el('p', 'msg-meta');
    const tm = Object.assign(el('time', '', `${pad(d.getHours())}:${pad(d.getMinutes())}`), { dateTime: d.toISOString() });
    meta.append(el('span', 'msg-who', inbound ? t.you : t.them), ' · ', tm);
    if (caseRef) meta.append(' · ', el('span', 'msg-case', `${t.caseRef} ${caseRef}`));
    const body = el('p', 'msg-text');
    if (inbound) body.textContent = String(text ?? ''); else appendLinked(body, String(text ?? ''));
    msg.append(meta, body);
    const group = !inbound && Array.isArray(actions) && actions.length ? renderActions(actions) : null;
    if (group) msg.append(group);
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    const i = items.findIndex((it) => it.t > time);
    log.insertBefore(msg, i < 0 ? null : items[i].el);
    items.splice(i < 0 ? items.length : i, 0, {
      t: time, el: msg, inbound, text: String(text ?? ''), id: Number(id) || 0,
      after: typeof after === 'number' ? after : null, group });
    empty.hidden = true;
    refreshActions();
    if (inbound || nearBottom) log.scrollTop = log.scrollHeight;
    // On a phone the growing log must not push the field being typed in below the screen.
    if (form.contains(document.activeElement)) form.scrollIntoView({ block: 'nearest' });
  }

  // Action buttons POST their label as the resident's text and their value as the choice; after a successful
  // answer the group is disabled.
  function renderActions(actions) {
    const group = el('div', 'msg-actions');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', t.actions);
    for (const act of actions) {
      if (!act || typeof act.value !== 'string') continue;
      const b = Object.assign(el('button', 'btn btn-action', String(act.label ?? act.value)), { type: 'button' });
      b.addEventListener('click', async () => {
        if (group.dataset.busy) return;
        group.dataset.busy = '1';
        const ok = await send(String(act.label ?? act.value), act.value);
        delete group.dataset.busy;
        if (!ok) return;   // the error is in #chat-status; the buttons stay usable
        input.focus();
        b.classList.add('is-chosen');
        for (const x of group.querySelectorAll('button')) x.disabled = true;
      });
      group.append(b);
    }
    return group;
  }

  // An own message answers (or passes by) a municipality message when it was sent after the resident saw it;
  // own messages stored before `after` existed fall back to the clock.
  const answers = (mine, theirs) => (mine.after !== null ? mine.after >= theirs.id : mine.t > theirs.t);

  // Only the newest municipality message's buttons stay usable, and only until the resident writes after it.
  // A spent group stays disabled; after a reload the button whose label the resident sent is marked as chosen.
  function refreshActions() {
    let newest = null;
    for (const it of items) if (!it.inbound && (!newest || it.id > newest.id)) newest = it;
    for (const it of items) {
      if (it.inbound || !it.group || it.group.dataset.spent) continue;
      const replies = items.filter((o) => o.inbound && answers(o, it));
      if (it === newest && !replies.length) continue;
      it.group.dataset.spent = '1';
      const first = replies[0];
      for (const b of it.group.querySelectorAll('button')) {
        b.disabled = true;
        if (first && b.textContent === first.text && !it.group.querySelector('.is-chosen')) b.classList.add('is-chosen');
      }
    }
  }

  function blockFor(secs) {
    blockedUntil = Date.now() + secs * 1000;
    setStatus(t.rate(secs), 'rate');
    if (document.activeElement === sendBtn) input.focus();   // keep focus somewhere useful
    sendBtn.disabled = true;
    setTimeout(() => {
      if (Date.now() < blockedUntil) return;
      sendBtn.disabled = false;
      if (statusKind === 'rate') setStatus('');
    }, secs * 1000 + 50);
  }

  // Returns true when the server accepted the message (202); on failure the caller keeps the typed text.
  // `choice` is the value of a pressed answer button (then `text` is its label).
  async function send(text, choice) {
    if (!text.trim() || sending) return false;
    const wait = Math.ceil((blockedUntil - Date.now()) / 1000);
    if (wait > 0) { setStatus(t.rate(wait), 'rate'); return false; }
    const s = session;
    const same = pending && pending.session === s && pending.text === text && pending.choice === (choice || '');
    if (!same) pending = { session: s, text, choice: choice || '', id: newId() };
    const id = pending.id;
    sending = true;
    try {
      const res = await fetch(API, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(choice ? { session: s, text, locale, id, choice } : { session: s, text, locale, id }),
      });
      const data = await res.json().catch(() => ({}));
      if (res.ok) {
        if (pending && pending.id === id) pending = null;
        // The server's clock (Date header) keeps our message ordered before its acknowledgement.
        const time = parseTime(res.headers.get('Date'), Date.now());
        const item = { text, sent_at: new Date(time).toISOString(), case: data.case || '', after: lastId };
        if (s === session) {
          saveSent(s, item);
          render({ inbound: true, text, time, caseRef: item.case, after: item.after });
          if (statusKind !== 'rate') setStatus('');
          schedule(300);
        }
        return true;
      }
      if (res.status === 429) {
        const ra = (res.headers.get('Retry-After') || '').trim();
        const secs = /^\d+$/.test(ra) ? parseInt(ra, 10) : Math.ceil((Date.parse(ra) - Date.now()) / 1000);
        blockFor(secs > 0 ? Math.min(secs, 3600) : 30);
      } else if (res.status === 413) setStatus(t.tooLarge, 'error');
      else if (res.status === 400) setStatus(t.badRequest, 'error');
      else setStatus(t.sendFailed, 'error');
    } catch {
      setStatus(t.sendFailed, 'error');
    } finally {
      sending = false;
    }
    return false;
  }
  // An empty field sends nothing: the status line (aria-live) says so, also when pressed again.
  function hintEmpty() {
    if (statusKind === 'rate') return;   // the wait matters more
    if (statusKind === 'hint') { setStatus(''); setTimeout(() => setStatus(t.typeFirst, 'hint'), 100); }
    else setStatus(t.typeFirst, 'hint');
    input.focus();
  }
  const submit = async () => {
    if (!input.value.trim()) { hintEmpty(); return; }
    if (await send(input.value)) { input.value = ''; updateCounter(); }
  };
  function updateCounter() {
    const n = input.value.length;
    counter.hidden = n <= COUNTER_FROM;
    counter.textContent = n > COUNTER_FROM ? t.counter(n) : '';
    if (statusKind === 'hint' && input.value.trim()) setStatus('');
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  });
  input.addEventListener('input', updateCounter);

  // Polling: every POLL_MS while visible, exponential back-off on errors; `gen` discards answers for an old session.
  function schedule(ms) {
    clearTimeout(timer);
    if (document.visibilityState === 'visible') timer = setTimeout(poll, ms);
  }
  async function poll() {
    if (inflight) return;
    inflight = true;
    const g = gen;
    let ok = false;
    try {
      const q = new URLSearchParams({ session });
      if (lastId) q.set('after', String(lastId));
      const res = await fetch(`${API}?${q}`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const data = await res.json();
      for (const m of (g === gen && Array.isArray(data.messages)) ? data.messages : []) {
        if (!m || seen.has(m.id)) continue;
        seen.add(m.id);
        if (Number(m.id) > lastId) lastId = Number(m.id);
        render({
          inbound: false, text: m.text, time: parseTime(m.sent_at, Date.now()), caseRef: m.case, actions: m.actions, id: m.id,
        });
      }
      ok = true;
    } catch { /* network or server error: back off below */ } finally {
      inflight = false;
      log.removeAttribute('aria-busy');
    }
    if (g !== gen) return schedule(0);
    failures = ok ? 0 : failures + 1;
    if (ok && statusKind === 'net') setStatus('');
    if (!ok && (!statusKind || statusKind === 'net' || statusKind === 'hint')) setStatus(t.offline, 'net');
    schedule(ok ? POLL_MS : Math.min(POLL_MS * 2 ** failures, MAX_BACKOFF_MS));
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') schedule(0); else clearTimeout(timer);
  });

  // Sessions: show the stored own messages, then fetch the municipality's history.
  function start() {
    log.setAttribute('aria-busy', 'true');
    for (const m of loadSent(session)) {
      render({ inbound: true, text: m.text, time: parseTime(m.sent_at, 0), caseRef: m.case, after: m.after });
    }
    empty.hidden = items.length > 0;
    schedule(0);
  }
  $('chat-new').addEventListener('click', () => {
    store.del(sentKey(session));
    session = newId();
    store.set(SESSION_KEY, session);
    gen += 1; items = []; seen = new Set(); lastId = 0; failures = 0;
    log.replaceChildren();
    setStatus(t.started);
    input.focus();
    start();
  });
  updateCounter();
  start();
})();
