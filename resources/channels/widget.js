/*
 * Live Training Chat Widget: the end-user chat of the Landing Page (inline) and of any site (launcher + panel).
 * No dependencies, no build step: this file is served as is at /widget.js.
 *
 * On a site, at the end of <body>:
 *   <script>window.liveTrainingWidget = { bot: "mybot", title: "Ask us", subtitle: "We answer fast",
 *     openingMessage: "Hi! How can I help?", placeholder: "Type a message...", avatarUrl: "https://.../bot.svg",
 *     themeColour: "#6c3fc4", textColour: "#ffffff",
 *     callToAction: { enabled: true, title: "Questions?", text: "Ask our assistant", buttonText: "Chat now" } };</script>
 *   <script src="https://PLATFORM/widget.js" async></script>
 * Values left out come from the bot's settings on the Platform. Pandorabots' names (conversationOpener,
 * placeholderText, botAvatar, colors.theme, colors.text) are understood too.
 *
 * Protocol: protocol/chat-wire.ts. The Platform issues the session key; it lives in this site's localStorage (per
 * Platform and bot), so a reload or a reopened tab continues the conversation with its history, for the bot's
 * "keep the conversation" time after the last visit (a snippet may set keepConversationMinutes itself). Each message is shown once: stored messages by their sequence number, the
 * user's own pending ones by their client id until the Platform has stored them. Bot replies with rich media are
 * drawn by widget-rich-media.js, which the Platform serves in front of this file as one script.
 */
/* global window, document, location, localStorage, WebSocket, crypto, fetch, setTimeout, clearTimeout, console */
(function () {
  'use strict';

  var script = document.currentScript || findScript();
  if (!script) return;
  var data = script.dataset || {};
  var snippet = window.liveTrainingWidget || window.liveTrainingConfig || {};
  var bot = String(data.bot || snippet.bot || '');
  if (!/^[a-z0-9]{3,64}$/.test(bot)) {
    console.error('[Live Training widget] set window.liveTrainingWidget = { bot: "yourbot" } before loading widget.js');
    return;
  }
  var inline = (data.mode || snippet.mode) === 'inline';
  var channel = data.channel === 'landing' ? 'landing' : 'widget';
  var platform = new URL(script.src, location.href);
  var wsUrl = (platform.protocol === 'https:' ? 'wss://' : 'ws://') + platform.host + '/ws/chat?bot=' + encodeURIComponent(bot);
  var storeKey = 'lt-chat:' + platform.host + ':' + bot + ':' + channel;
  var registryKey = bot + ':' + (inline ? 'inline' : 'launcher');
  window.__liveTrainingWidgets = window.__liveTrainingWidgets || {};
  if (window.__liveTrainingWidgets[registryKey]) return;
  window.__liveTrainingWidgets[registryKey] = true;

  function findScript() {
    var all = document.getElementsByTagName('script');
    for (var i = all.length - 1; i >= 0; i--) if (/\/widget\.js(\?|$)/.test(all[i].src)) return all[i];
    return null;
  }

  // ---- session (localStorage, or memory where storage is blocked) ----
  var memory = {};
  var snippetKeepMinutes = Number(data.keepConversationMinutes || snippet.keepConversationMinutes) || 0;
  var keepMinutes = snippetKeepMinutes || 7 * 24 * 60;
  function load() {
    var loaded;
    try {
      loaded = JSON.parse(localStorage.getItem(storeKey) || '{}') || {};
    } catch {
      return memory;
    }
    // Past its keeping time the conversation is forgotten here: the next message starts a new one.
    if (loaded.expiresAt && loaded.expiresAt < Date.now()) return {};
    return loaded;
  }
  function save(state) {
    memory = state;
    if (state.session) state.expiresAt = Date.now() + keepMinutes * 60000;
    try {
      localStorage.setItem(storeKey, JSON.stringify(state));
    } catch {
      /* storage blocked: the conversation lasts as long as the page */
    }
  }
  function randomId(bytes) {
    var a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    var s = '';
    for (var i = 0; i < a.length; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charAt(a[i] & 63);
    return s;
  }
  var state = load();
  /** Messages typed but not yet stored by the Platform, in order: resent after a reconnect or a reload. */
  var outbox = Array.isArray(state.outbox) ? state.outbox : [];
  function persist() {
    state.outbox = outbox;
    save(state);
  }

  // ---- appearance: built-in defaults < the bot's settings (welcome) < the snippet ----
  var appearance = {
    title: bot,
    subtitle: '',
    openingMessage: '',
    placeholder: 'Type a message...',
    avatarUrl: '/channels/robot.svg',
    themeColour: '#6c3fc4',
    textColour: '#ffffff',
    callToAction: { enabled: false, title: '', text: '', buttonText: 'Chat now' },
    humanStyle: 'bot',
    systemStyle: 'notice',
  };
  function snippetAppearance() {
    var s = snippet;
    var out = {};
    var map = {
      title: s.title,
      subtitle: s.subtitle,
      openingMessage: s.openingMessage !== undefined ? s.openingMessage : s.conversationOpener,
      placeholder: s.placeholder !== undefined ? s.placeholder : s.placeholderText,
      avatarUrl: s.avatarUrl !== undefined ? s.avatarUrl : s.botAvatar,
      themeColour: s.themeColour !== undefined ? s.themeColour : s.colors && s.colors.theme,
      textColour: s.textColour !== undefined ? s.textColour : s.colors && s.colors.text,
    };
    for (var k in map) if (typeof map[k] === 'string') out[k] = map[k];
    if (s.callToAction === false) out.callToAction = { enabled: false };
    else if (s.callToAction && typeof s.callToAction === 'object') out.callToAction = s.callToAction;
    return out;
  }
  function applyAppearance(fromServer) {
    var merged = {};
    var k;
    for (k in appearance) merged[k] = appearance[k];
    var layers = [fromServer || {}, snippetAppearance()];
    for (var i = 0; i < layers.length; i++) {
      for (k in layers[i]) {
        if (k === 'callToAction') {
          var cta = {};
          var base = merged.callToAction;
          for (var c in base) cta[c] = base[c];
          for (c in layers[i].callToAction) cta[c] = layers[i].callToAction[c];
          merged.callToAction = cta;
        } else if (layers[i][k] !== undefined) merged[k] = layers[i][k];
      }
    }
    appearance = merged;
    render();
  }
  function colour(value, fallback) {
    return /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : fallback;
  }
  function assetUrl(url) {
    try {
      var u = new URL(url, platform.href);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '';
    } catch {
      return '';
    }
  }

  // ---- styles (inside the shadow root: the host page's CSS cannot reach in, ours cannot leak out) ----
  var STYLES = [
    ':host { all: initial; }',
    '.lt-root { --lt-theme: #6c3fc4; --lt-text: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1d2b; }',
    '.lt-root *, .lt-root *::before, .lt-root *::after { box-sizing: border-box; }',
    'button { font: inherit; cursor: pointer; }',
    'button:focus-visible, textarea:focus-visible, .lt-log:focus-visible { outline: 3px solid #f2b53b; outline-offset: 2px; }',
    '[hidden] { display: none !important; }',
    '.lt-sr { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }',
    '.lt-panel { display: flex; flex-direction: column; background: #fff; border-radius: 14px; overflow: hidden; box-shadow: 0 8px 32px rgba(20,10,60,.22); }',
    // Inline (Landing Page): the panel fills its slot and the log scrolls inside it, so the message box stays in view.
    '.lt-root.lt-inline { height: 100%; }',
    '.lt-inline .lt-panel { height: 100%; min-height: 360px; box-shadow: 0 2px 14px rgba(20,10,60,.12); }',
    '.lt-floating .lt-panel { position: fixed; right: 20px; bottom: 92px; width: 370px; height: min(600px, calc(100vh - 120px)); z-index: 2147483646; }',
    '.lt-launcher { position: fixed; right: 20px; bottom: 20px; width: 60px; height: 60px; border-radius: 50%; border: 0; background: var(--lt-theme); color: var(--lt-text); box-shadow: 0 4px 16px rgba(20,10,60,.3); display: flex; align-items: center; justify-content: center; z-index: 2147483647; }',
    '.lt-launcher.lt-unread::after { content: ""; position: absolute; top: 4px; right: 4px; width: 14px; height: 14px; border-radius: 50%; background: #e53935; border: 2px solid #fff; }',
    '.lt-cta { position: fixed; right: 20px; bottom: 92px; width: 300px; display: flex; gap: 12px; padding: 14px; background: #fff; border-radius: 14px; box-shadow: 0 8px 32px rgba(20,10,60,.22); z-index: 2147483646; }',
    '.lt-cta-avatar { width: 40px; height: 40px; border-radius: 50%; flex: none; }',
    '.lt-cta-body { flex: 1; min-width: 0; }',
    '.lt-cta-title { display: block; margin-bottom: 2px; }',
    '.lt-cta-text { margin: 0 0 10px; color: #4a4660; }',
    '.lt-cta-go { border: 0; border-radius: 8px; padding: 7px 14px; background: var(--lt-theme); color: var(--lt-text); font-weight: 600; }',
    '.lt-cta-close, .lt-close { border: 0; background: transparent; font-size: 22px; line-height: 1; width: 32px; height: 32px; border-radius: 50%; color: inherit; flex: none; }',
    '.lt-header { display: flex; align-items: center; gap: 10px; padding: 12px 14px; background: var(--lt-theme); color: var(--lt-text); }',
    '.lt-avatar { width: 36px; height: 36px; border-radius: 50%; background: #fff; flex: none; }',
    '.lt-heading { flex: 1; min-width: 0; }',
    '.lt-title { margin: 0; font-size: 17px; font-weight: 650; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }',
    '.lt-subtitle { margin: 0; font-size: 13px; opacity: .9; }',
    '.lt-status { padding: 6px 14px; font-size: 13px; background: #fff6de; color: #5b4300; }',
    '.lt-log { flex: 1; overflow-y: auto; padding: 14px; background: #faf9fd; }',
    '.lt-list { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 8px; }',
    '.lt-msg { display: flex; gap: 8px; align-items: flex-end; max-width: 88%; }',
    '.lt-msg-avatar { width: 26px; height: 26px; border-radius: 50%; flex: none; }',
    '.lt-bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }',
    '.lt-from-bot .lt-bubble, .lt-from-human .lt-bubble { background: #ecebf3; border-bottom-left-radius: 4px; }',
    '.lt-from-human .lt-bubble { background: #e3f1ea; }',
    '.lt-person { display: block; font-size: 11px; font-weight: 650; text-transform: uppercase; letter-spacing: .04em; color: #2f6b4f; }',
    '.lt-from-user { align-self: flex-end; flex-direction: column; align-items: flex-end; }',
    '.lt-from-user .lt-bubble { background: var(--lt-theme); color: var(--lt-text); border-bottom-right-radius: 4px; }',
    '.lt-pending .lt-bubble { opacity: .65; }',
    '.lt-failed .lt-bubble { opacity: 1; outline: 2px solid #c62828; }',
    '.lt-error { font-size: 12px; color: #b71c1c; margin-top: 2px; }',
    '.lt-retry { border: 0; background: none; color: #4b2a8f; text-decoration: underline; padding: 0; }',
    '.lt-notice { align-self: center; text-align: center; font-size: 13px; font-style: italic; color: #5c5870; background: #f0eef7; border-radius: 10px; padding: 6px 12px; max-width: 92%; }',
    '.lt-form { display: flex; flex-wrap: wrap; gap: 8px; padding: 10px; border-top: 1px solid #e6e4ef; background: #fff; }',
    '.lt-input { flex: 1; resize: none; border: 1px solid #cfcbe0; border-radius: 10px; padding: 9px 11px; font: inherit; max-height: 120px; min-height: 40px; }',
    '.lt-hint { flex-basis: 100%; margin: 0; font-size: 12px; color: #b71c1c; }',
    '.lt-input:disabled, .lt-send:disabled { opacity: .55; cursor: not-allowed; }',
    '.lt-send { border: 0; border-radius: 10px; padding: 0 16px; background: var(--lt-theme); color: var(--lt-text); font-weight: 650; }',
    '@media (max-width: 480px) {',
    '  .lt-floating .lt-panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }',
    '  .lt-floating.lt-open .lt-launcher { display: none; }',
    '  .lt-cta { left: 12px; right: 12px; width: auto; }',
    '}',
    '@media (prefers-reduced-motion: no-preference) { .lt-launcher { transition: transform .15s; } .lt-launcher:hover { transform: scale(1.06); } }',
  ].join('\n');

  // ---- DOM ----
  var host = document.createElement('div');
  host.className = 'live-training-widget';
  var targetSelector = data.target || snippet.target || '';
  // A site may load the script in <head>, before <body> and the target exist: the widget is put in place once they do.
  var domReady = document.readyState !== 'loading';
  if (inline && domReady && !document.querySelector(targetSelector)) {
    console.error('[Live Training widget] inline mode needs a target element');
    return;
  }
  if (inline) {
    host.style.display = 'block';
    host.style.height = '100%';
  }
  function mount() {
    var parent = inline ? document.querySelector(targetSelector) : document.body;
    if (parent) parent.appendChild(host);
    else console.error('[Live Training widget] inline mode needs a target element');
  }
  if (domReady || (!inline && document.body)) mount();
  else document.addEventListener('DOMContentLoaded', mount);
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c) e.appendChild(c);
    });
    return e;
  }
  var CHAT_ICON =
    '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

  // Rich media (buttons, cards, carousels, ...) comes from widget-rich-media.js, served in front of this file.
  var richMedia = window.__liveTrainingRichMedia ? window.__liveTrainingRichMedia({ el: el, choose: choose, scrollDown: scrollDown }) : null;
  var style = el('style', { text: STYLES + (richMedia ? '\n' + richMedia.styles : '') });
  var wrapper = el('div', { className: 'lt-root ' + (inline ? 'lt-inline' : 'lt-floating') });
  var titleEl = el('h2', { className: 'lt-title' });
  var subtitleEl = el('p', { className: 'lt-subtitle' });
  var headerAvatar = el('img', { className: 'lt-avatar', alt: '' });
  var closeButton = inline ? null : el('button', { type: 'button', className: 'lt-close', 'aria-label': 'Close chat', text: '\u00d7' });
  var statusEl = el('div', { className: 'lt-status', role: 'status', 'aria-live': 'polite' });
  // A live region (role log) around a real list: screen readers announce new messages and still get list semantics.
  var list = el('ol', { className: 'lt-list' });
  var log = el('div', { className: 'lt-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Messages', tabindex: '0' }, [list]);
  // No maxlength: it would cut a pasted message silently. The hint says how much is too long instead.
  var input = el('textarea', { className: 'lt-input', rows: '1', 'aria-label': 'Message', 'aria-describedby': 'lt-hint', autocomplete: 'off' });
  var sendButton = el('button', { type: 'submit', className: 'lt-send', text: 'Send' });
  var hint = el('p', { className: 'lt-hint', id: 'lt-hint', 'aria-live': 'polite', hidden: '' });
  var form = el('form', { className: 'lt-form' }, [input, sendButton, hint]);
  var panel = el('section', { className: 'lt-panel', id: 'lt-panel' }, [
    el('header', { className: 'lt-header' }, [headerAvatar, el('div', { className: 'lt-heading' }, [titleEl, subtitleEl]), closeButton]),
    statusEl,
    log,
    form,
  ]);
  var launcher = null;
  var cta = null;
  var ctaTitle = el('strong', { className: 'lt-cta-title' });
  var ctaText = el('p', { className: 'lt-cta-text' });
  var ctaAvatar = el('img', { className: 'lt-cta-avatar', alt: '' });
  var ctaGo = el('button', { type: 'button', className: 'lt-cta-go' });
  var ctaClose = el('button', { type: 'button', className: 'lt-cta-close', 'aria-label': 'Dismiss', text: '\u00d7' });
  if (inline) {
    panel.setAttribute('role', 'region');
    wrapper.appendChild(panel);
  } else {
    panel.setAttribute('role', 'dialog');
    panel.hidden = true;
    launcher = el('button', { type: 'button', className: 'lt-launcher', 'aria-label': 'Open chat', 'aria-expanded': 'false', 'aria-controls': 'lt-panel' });
    launcher.innerHTML = CHAT_ICON;
    cta = el('aside', { className: 'lt-cta', 'aria-label': 'Chat invitation', hidden: '' }, [ctaAvatar, el('div', { className: 'lt-cta-body' }, [ctaTitle, ctaText, ctaGo]), ctaClose]);
    wrapper.appendChild(cta);
    wrapper.appendChild(panel);
    wrapper.appendChild(launcher);
  }
  root.appendChild(style);
  root.appendChild(wrapper);

  var openingEl = null;
  function render() {
    wrapper.style.setProperty('--lt-theme', colour(appearance.themeColour, '#6c3fc4'));
    wrapper.style.setProperty('--lt-text', colour(appearance.textColour, '#ffffff'));
    titleEl.textContent = appearance.title || bot;
    subtitleEl.textContent = appearance.subtitle || '';
    subtitleEl.hidden = !appearance.subtitle;
    panel.setAttribute('aria-label', 'Chat: ' + (appearance.title || bot));
    input.setAttribute('placeholder', appearance.placeholder || '');
    var avatar = assetUrl(appearance.avatarUrl);
    headerAvatar.hidden = !avatar;
    if (avatar) headerAvatar.src = avatar;
    var items = list.querySelectorAll('img.lt-msg-avatar');
    for (var i = 0; i < items.length; i++) if (avatar) items[i].src = avatar;
    if (appearance.openingMessage) {
      if (!openingEl) {
        openingEl = botItem(appearance.openingMessage, 'bot');
        openingEl.classList.add('lt-opening');
        list.insertBefore(openingEl, list.firstChild);
      } else openingEl.querySelector('.lt-bubble').textContent = appearance.openingMessage;
    } else if (openingEl) {
      openingEl.remove();
      openingEl = null;
    }
    if (cta) {
      var c = appearance.callToAction || {};
      ctaTitle.textContent = c.title || appearance.title || bot;
      ctaText.textContent = c.text || '';
      ctaGo.textContent = c.buttonText || 'Chat now';
      ctaAvatar.hidden = !avatar;
      if (avatar) ctaAvatar.src = avatar;
      cta.hidden = !(c.enabled && !state.ctaDismissed && !state.open && !state.started);
    }
  }

  // ---- messages ----
  var shown = {}; // seq -> element
  var lastSeq = 0;

  /**
   * Who said it, for screen readers (sighted users see it from the side and colour of the bubble). A human reply shown
   * like the bot's is announced like the bot's too: the end user learns only what the bot owner chose to show.
   */
  function speaker(from) {
    return el('span', { className: 'lt-sr', text: (from === 'user' ? 'You' : appearance.title || bot) + ': ' });
  }
  function botItem(text, from) {
    var li = el('li', { className: 'lt-msg lt-from-' + from }, [speaker(from)]);
    var avatar = assetUrl(appearance.avatarUrl);
    if (avatar) li.appendChild(el('img', { className: 'lt-msg-avatar', alt: '', src: avatar }));
    var bubble = el('div', { className: 'lt-bubble' });
    if (from === 'human') bubble.appendChild(el('span', { className: 'lt-person', text: 'Team member' }));
    bubble.appendChild(document.createTextNode(text));
    li.appendChild(bubble);
    return li;
  }
  /** A bot reply with rich media: its bubbles, cards and quick replies in a column beside the avatar. */
  function richItem(m, live) {
    var li = el('li', { className: 'lt-msg lt-from-bot lt-rich' }, [speaker('bot')]);
    var avatar = assetUrl(appearance.avatarUrl);
    if (avatar) li.appendChild(el('img', { className: 'lt-msg-avatar', alt: '', src: avatar }));
    var stack = el('div', { className: 'lt-stack' });
    li.appendChild(stack);
    richMedia.draw(li, stack, m.parts, live);
    return li;
  }
  function itemFor(m, live) {
    if (m.from === 'user') return el('li', { className: 'lt-msg lt-from-user' }, [speaker('user'), el('div', { className: 'lt-bubble', text: shownText(m.clientId, m.text) })]);
    if (m.from === 'notice') return el('li', { className: 'lt-notice', text: m.text });
    if (m.from === 'bot' && m.parts && richMedia) {
      // A reply made only of device commands (<oob>) has nothing for the reader: keep its place in the log, unseen.
      if (!m.parts.length) return el('li', { className: 'lt-device-only', hidden: '' });
      return richItem(m, live);
    }
    return botItem(m.text, m.from);
  }
  /** A tapped button sends its postback; the user's bubble shows the button's text (kept for reloads). */
  function shownText(clientId, text) {
    return (clientId && state.labels && state.labels[clientId]) || text;
  }
  function pendingItem(clientId) {
    return list.querySelector('li[data-client-id="' + clientId + '"]');
  }
  function insertBySeq(li, seq) {
    li.setAttribute('data-seq', String(seq));
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var s = Number(items[i].getAttribute('data-seq'));
      // Stored messages in seq order; pending ones (no seq yet) stay below them.
      if ((s && s > seq) || (!s && items[i].hasAttribute('data-client-id'))) {
        list.insertBefore(li, items[i]);
        return;
      }
    }
    list.appendChild(li);
  }
  function showStored(m, live) {
    if (shown[m.seq]) return;
    if (m.from === 'user' && richMedia) richMedia.answered(list);
    if (m.seq > lastSeq) lastSeq = m.seq;
    var li;
    var pending = m.clientId ? pendingItem(m.clientId) : null;
    if (pending) {
      li = pending;
      li.classList.remove('lt-pending', 'lt-failed');
      li.removeAttribute('data-client-id');
      var note = li.querySelector('.lt-error');
      if (note) note.remove();
      li.remove();
    } else li = itemFor(m, live);
    if (m.clientId) {
      stored(m.clientId);
      outbox = outbox.filter(function (o) {
        return o.clientId !== m.clientId;
      });
      persist();
    }
    shown[m.seq] = li;
    insertBySeq(li, m.seq);
    if (!state.started) {
      state.started = true;
      save(state);
      render();
    }
    // A reply while the panel is closed: the launcher says so (visually and to screen readers).
    if (launcher && panel.hidden && m.from !== 'user') {
      launcher.classList.add('lt-unread');
      launcher.setAttribute('aria-label', 'Open chat (new message)');
    }
    scrollDown();
  }
  function showPending(o) {
    if (pendingItem(o.clientId)) return;
    if (richMedia) richMedia.answered(list);
    var li = el('li', { className: 'lt-msg lt-from-user lt-pending', 'data-client-id': o.clientId }, [speaker('user'), el('div', { className: 'lt-bubble', text: shownText(o.clientId, o.text) })]);
    list.appendChild(li);
    scrollDown();
  }
  function markFailed(clientId, message, retry) {
    var li = pendingItem(clientId);
    if (!li) return;
    li.classList.add('lt-failed');
    var note = li.querySelector('.lt-error');
    if (!note) {
      note = el('div', { className: 'lt-error' });
      li.appendChild(note);
    }
    note.textContent = '';
    note.appendChild(document.createTextNode('Not sent: ' + message + ' '));
    if (retry) {
      var again = el('button', { type: 'button', className: 'lt-retry', text: 'Retry' });
      again.addEventListener('click', function () {
        li.classList.remove('lt-failed');
        note.remove();
        transmit(clientId);
      });
      note.appendChild(again);
    } else {
      outbox = outbox.filter(function (o) {
        return o.clientId !== clientId;
      });
      persist();
    }
  }
  /** The newest message in view; of a reply taller than the log, its beginning (the reader starts there). */
  function scrollDown() {
    var bottom = log.scrollHeight - log.clientHeight;
    var last = list.lastElementChild;
    if (last && !last.classList.contains('lt-from-user') && last.offsetHeight > log.clientHeight) {
      var top = log.scrollTop + last.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
      log.scrollTop = Math.min(bottom, top);
    } else log.scrollTop = bottom;
  }

  // ---- connection ----
  var ws = null;
  var welcomed = false;
  var attempts = 0;
  var reconnectTimer = null;
  var limitChars = 2000;

  function setStatus(text) {
    statusEl.textContent = text;
    statusEl.hidden = !text;
  }
  function connect() {
    if (ws || reconnectTimer || gone || refused) return;
    setStatus(attempts ? 'Reconnecting\u2026' : 'Connecting\u2026');
    var socket;
    try {
      socket = new WebSocket(wsUrl);
    } catch {
      scheduleReconnect();
      return;
    }
    ws = socket;
    socket.onopen = function () {
      // No session yet (first visit, or the kept one expired): the Platform issues one in its welcome.
      socket.send(JSON.stringify({ type: 'hello', protocol: 1, bot: bot, channel: channel, session: state.session || undefined, lastSeq: lastSeq }));
    };
    socket.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      onFrame(frame);
    };
    socket.onclose = function (event) {
      if (ws !== socket) return;
      ws = null;
      welcomed = false;
      // 4404 (CHAT_CLOSE_BOT_GONE): the bot was deleted; reconnecting would only be refused, forever.
      if (event.code === 4404) return unavailable('This chat is no longer available.');
      if (event.code === 1008) setStatus('The chat was closed: ' + (event.reason || 'too many refused messages') + '. Reconnecting\u2026');
      scheduleReconnect();
    };
  }
  /** There is no bot to talk to (deleted, or never there): say so once, stop connecting, keep what was typed shown. */
  var gone = false;
  function unavailable(text) {
    gone = true;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    var socket = ws;
    ws = null;
    welcomed = false;
    if (socket) socket.close();
    setStatus(text);
    input.disabled = true;
    sendButton.disabled = true;
    outbox.slice().forEach(function (o) {
      markFailed(o.clientId, 'this chat is not available.', false);
    });
  }
  function scheduleReconnect() {
    if (gone) return;
    attempts += 1;
    // A socket refused at the handshake (403) looks like any lost connection to a page: ask the Platform why.
    if (attempts === 2 || attempts % 5 === 0) checkSite();
    // Exponential backoff with full jitter, capped at 15 s, so a Platform restart is not met by a thundering herd.
    var delay = Math.random() * Math.min(15000, 500 * Math.pow(2, attempts));
    setStatus('Connection lost. Reconnecting\u2026');
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }
  window.addEventListener('online', function () {
    if (reconnectTimer) {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
      connect();
    }
  });

  function onFrame(frame) {
    if (frame.type === 'welcome') {
      welcomed = true;
      attempts = 0;
      setStatus('');
      if (!snippetKeepMinutes && frame.keepConversationMinutes) keepMinutes = frame.keepConversationMinutes;
      if (frame.session) state.session = frame.session;
      save(state);
      if (frame.limits && frame.limits.messageChars) {
        limitChars = frame.limits.messageChars;
        checkLength();
      }
      applyAppearance(frame.appearance);
      // History is drawn at once (no typing delays); only replies arriving now are played out.
      (frame.messages || []).forEach(function (m) {
        showStored(m, false);
      });
      // Whatever was typed but never stored goes out again; the Platform recognises resends by client id.
      outbox.forEach(function (o) {
        showPending(o);
        transmit(o.clientId);
      });
      return;
    }
    if (frame.type === 'message') return showStored(frame.message, true);
    if (frame.type === 'error') {
      if (frame.clientId) {
        stored(frame.clientId); // answered, if refused: the socket is alive
        if (frame.code === 'rate_limited' && frame.retryAfterMs !== undefined) {
          markFailed(frame.clientId, 'you are sending quickly, retrying in a moment.', true);
          setTimeout(function () {
            var li = pendingItem(frame.clientId);
            if (li) {
              li.classList.remove('lt-failed');
              var n = li.querySelector('.lt-error');
              if (n) n.remove();
              transmit(frame.clientId);
            }
          }, Math.max(250, frame.retryAfterMs));
        } else markFailed(frame.clientId, frame.message, frame.code === 'unavailable');
      } else setStatus(frame.message);
    }
  }
  function transmit(clientId) {
    var o = null;
    for (var i = 0; i < outbox.length; i++) if (outbox[i].clientId === clientId) o = outbox[i];
    if (!o) return;
    if (ws && welcomed && ws.readyState === 1) {
      ws.send(JSON.stringify({ type: 'send', clientId: o.clientId, text: o.text }));
      awaitStored(o.clientId);
    } else connect();
  }

  // ---- a connection that died without closing ----
  // On a flaky mobile network a socket can go silent for minutes before the browser notices. The Platform stores and
  // echoes a message within milliseconds, so one not echoed for this long means the socket is dead: open a new one
  // and send again (the Platform recognises a resend by its client id, so nothing is stored twice).
  var STORED_WITHIN_MS = 10000;
  var sentAt = {}; // clientId -> when it went out on the current socket
  var staleTimer = null;
  function awaitStored(clientId) {
    sentAt[clientId] = Date.now();
    if (!staleTimer) staleTimer = setTimeout(checkStale, STORED_WITHIN_MS);
  }
  function stored(clientId) {
    delete sentAt[clientId];
  }
  function checkStale() {
    staleTimer = null;
    var oldest = Infinity;
    for (var id in sentAt) oldest = Math.min(oldest, sentAt[id]);
    if (oldest === Infinity) return;
    var waited = Date.now() - oldest;
    if (waited < STORED_WITHIN_MS) {
      staleTimer = setTimeout(checkStale, STORED_WITHIN_MS - waited);
      return;
    }
    sentAt = {};
    // Already reconnecting: the welcome sends everything unstored again.
    if (!ws || !welcomed) return;
    var dead = ws;
    ws = null;
    welcomed = false;
    if (dead) dead.close();
    scheduleReconnect();
  }
  function queue(text, label) {
    var o = { clientId: randomId(12), text: text };
    if (label && label !== text) {
      state.labels = state.labels || {};
      state.labels[o.clientId] = label;
      // Only recent labels matter (older bubbles are past the history a reload shows).
      var ids = Object.keys(state.labels);
      if (ids.length > 200) delete state.labels[ids[0]];
    }
    outbox.push(o);
    persist();
    showPending(o);
    transmit(o.clientId);
  }
  function submit() {
    var text = input.value.trim();
    if (!text || !checkLength()) return;
    input.value = '';
    fitInput();
    queue(text);
  }
  /** False (and the hint says by how much) while the message is longer than the Platform accepts. */
  function checkLength() {
    var over = input.value.trim().length - limitChars;
    hint.hidden = over <= 0;
    hint.textContent = over > 0 ? 'A message is at most ' + limitChars + ' characters: this one is ' + over + ' too long.' : '';
    input.setAttribute('aria-invalid', over > 0 ? 'true' : 'false');
    return over <= 0;
  }
  /** The box grows with what is typed, up to its maximum height, then scrolls. */
  function fitInput() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
  }
  input.addEventListener('input', function () {
    fitInput();
    checkLength();
  });
  /**
   * A button or quick reply was tapped: its postback is what the bot gets. The focus goes to the message box, where
   * the conversation goes on (a tapped quick reply is gone, and the keyboard must not be left on nothing).
   */
  function choose(label, postback) {
    queue(String(postback).slice(0, limitChars), label);
    input.focus();
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    submit();
    input.focus();
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });

  // ---- launcher and panel ----
  function open() {
    if (inline) return;
    panel.hidden = false;
    launcher.classList.remove('lt-unread');
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', 'Close chat');
    wrapper.classList.add('lt-open');
    state.open = true;
    save(state);
    render();
    connect();
    // A refused site has no message box to type in: the focus goes to the panel's one working control.
    if (input.disabled) closeButton.focus();
    else input.focus();
    scrollDown();
  }
  function close() {
    if (inline) return;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', 'Open chat');
    wrapper.classList.remove('lt-open');
    state.open = false;
    save(state);
    launcher.focus();
  }
  if (!inline) {
    launcher.addEventListener('click', function () {
      if (panel.hidden) open();
      else close();
    });
    closeButton.addEventListener('click', close);
    ctaGo.addEventListener('click', open);
    ctaClose.addEventListener('click', function () {
      state.ctaDismissed = true;
      save(state);
      render();
    });
    panel.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') close();
    });
    window.LiveTrainingWidget = { open: open, close: close };
  }

  // ---- this site refused by the bot's owner (the bot's allowed origins) ----
  var refused = false;
  var refusals = 0;
  var siteRecheck = null;
  function refuse(message) {
    console.error('[Live Training widget] ' + message);
    refused = true;
    input.disabled = true;
    sendButton.disabled = true;
    setStatus('This chat is not available on this site: the bot\u2019s owner has not allowed ' + location.origin + ' to show it.');
    // The owner may allow the site at any moment: look again now and then (10 s, then less often), without a socket.
    refusals += 1;
    if (!siteRecheck) {
      siteRecheck = setTimeout(
        function () {
          siteRecheck = null;
          checkSite();
        },
        Math.min(60000, 10000 * refusals),
      );
    }
  }
  function allowedAgain() {
    if (!refused) return;
    refused = false;
    refusals = 0;
    input.disabled = false;
    sendButton.disabled = false;
    setStatus('');
    if (inline || state.open || state.started || outbox.length) connect();
  }
  /** The bot's appearance and whether this site may show it; a 403 carries the reason. */
  function checkSite() {
    return fetch(platform.origin + '/widget-settings?bot=' + encodeURIComponent(bot), { credentials: 'omit' })
      .then(function (response) {
        if (response.status === 404) {
          console.error('[Live Training widget] there is no bot named "' + bot + '" on ' + platform.origin);
          unavailable('This chat is not available.');
          return null;
        }
        if (response.status === 403) {
          return response.json().then(
            function (body) {
              refuse((body && body.message) || 'this site may not show the bot');
              return null;
            },
            function () {
              refuse('this site may not show the bot');
              return null;
            },
          );
        }
        if (response.ok) allowedAgain();
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body && !snippetKeepMinutes && body.keepConversationMinutes) keepMinutes = body.keepConversationMinutes;
        if (body && body.appearance && !welcomed) applyAppearance(body.appearance);
      })
      .catch(function () {
        /* the socket's welcome brings the appearance too */
      });
  }

  applyAppearance();
  setStatus('');
  // The bot's appearance (title, colours, call to action) before any socket: a visitor who never chats costs none.
  checkSite();
  if (inline) connect();
  else if (state.open) open();
  // A conversation already under way keeps receiving replies while the panel is closed.
  else if (state.started || outbox.length) connect();
})();
