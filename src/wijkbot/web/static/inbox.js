/* wijkbot inbox: progressive enhancement only; every page works without this file.
   - "Sjabloon invoegen" fills the reply box with the chosen template at once (without a reload);
   - "Voorbeeld bekijken" shows the channel preview in place;
   - the case page says who else has it open, and that the case changed, refreshed every 20 seconds. */
'use strict';
(function () {
  const token = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  function post(url, body) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'X-CSRF-Token': token(), 'Accept': 'application/json' },
    }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  }

  function para(text, className) {
    const p = document.createElement('p');
    p.textContent = text; // always text, never HTML
    if (className) p.className = className;
    return p;
  }

  // Choosing a template is explicit (WCAG 3.2.2): arrow keys on the list only choose; "Sjabloon invoegen" puts
  // the text in the reply box at once (without a reload), after asking when the box already has text.
  function templates() {
    const form = document.getElementById('template-form');
    const select = document.getElementById('template');
    const reply = document.getElementById('reply-text');
    if (!form || !select || !reply) return;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const option = select.options[select.selectedIndex];
      const text = option && option.dataset.text;
      if (text === undefined) return;
      if (reply.value.trim() && !window.confirm(select.dataset.confirm || 'Replace the text?')) return;
      reply.value = text;
      const hidden = document.querySelector('#reply-form input[name="template"]');
      if (hidden) hidden.value = option.value;
      reply.focus();
      reply.setSelectionRange(0, 0);
    });
  }

  function preview() {
    const button = document.getElementById('reply-preview-button');
    const box = document.getElementById('reply-preview');
    const form = document.getElementById('reply-form');
    if (!button || !box || !form) return;
    button.addEventListener('click', (event) => {
      event.preventDefault();
      post(box.dataset.url, new FormData(form)).then((shown) => {
        box.replaceChildren();
        const title = document.createElement('h3');
        title.textContent = box.dataset.title;
        box.append(title);
        if (shown.mode_label) {
          const mode = para('', 'preview-mode');
          const strong = document.createElement('strong');
          strong.textContent = shown.mode_label;
          mode.append(strong);
          mode.dataset.mode = shown.mode;
          box.append(mode);
        }
        shown.parts.forEach((part) => box.append(para(part, 'msg-text preview-part')));
        shown.notes.forEach((note) => box.append(para(note, 'hint')));
      }).catch(() => form.requestSubmit(button)); // fall back to the page version
    });
  }

  // #presence is a live region: it is rewritten only when what it says changes (someone comes or goes, the case
  // changed), never per refresh, so a screen reader does not read the same notice every 20 seconds.
  function presence() {
    const box = document.getElementById('presence');
    if (!box) return;
    const version = box.dataset.version;
    let shown = Array.from(box.children, (p) => p.textContent).join('\n');
    const refresh = () => post(box.dataset.url, new FormData()).then((state) => {
      const texts = state.viewers.slice();
      if (String(state.version) !== version) texts.push(box.dataset.changed);
      if (texts.join('\n') === shown) return;
      shown = texts.join('\n');
      box.replaceChildren(...texts.map((text) => para(text, text === box.dataset.changed ? 'changed' : '')));
    }).catch(() => {});
    window.setInterval(refresh, 20000);
  }

  // After a refused form the message is read first (the case page's summary, the sign-in page's message).
  function focusErrors() {
    const summary = document.getElementById('error-summary') || document.getElementById('login-error');
    if (summary) summary.focus();
  }

  document.addEventListener('DOMContentLoaded', () => { templates(); preview(); presence(); focusErrors(); });
})();
