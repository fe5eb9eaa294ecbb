/*
 * Rich media of bot replies in the Chat Widget and the Landing Page, as Pandorabots' widget shows them: buttons and
 * quick replies that send their postback, cards, swipeable carousels, links, images, videos, lists, typing dots for
 * <delay>, and <split/> bubbles. The Platform has already read the reply into parts (protocol/rich-media.ts, the reader
 * Studio uses too, wire shape RichPart); this file only draws them.
 *
 * Served in front of widget.js as one script (server/channels/static-assets.ts); it hands widget.js one factory, and
 * uses widget.js's base styles (`.lt-bubble`, the visually hidden `.lt-sr`).
 * Everything the bot wrote goes in as text nodes, never as markup, and only http(s) URLs are ever set as a link or a
 * source (the Platform filters them; this checks again, because a page must not trust its wire blindly).
 */
/* global window, document, setTimeout */
(function () {
  'use strict';

  var STYLES = [
    '.lt-stack { display: flex; flex-direction: column; gap: 6px; min-width: 0; max-width: 100%; }',
    '.lt-bubble a { color: inherit; text-decoration: underline; }',
    '.lt-items { margin: 4px 0; padding-left: 22px; }',
    '.lt-media { display: block; max-width: 100%; max-height: 260px; margin: 6px 0 2px; border-radius: 10px; background: #fff; }',
    '.lt-choices { display: flex; flex-direction: column; gap: 6px; margin-top: 8px; }',
    '.lt-choice { display: block; width: 100%; text-align: center; border: 1px solid var(--lt-theme); border-radius: 10px; padding: 7px 12px; background: #fff; color: #2d1b69; font-weight: 600; text-decoration: none; white-space: normal; }',
    '.lt-bubble a.lt-choice { color: #2d1b69; text-decoration: none; }',
    '.lt-choice:hover { background: #f3f0fb; }',
    '.lt-choice:focus-visible, .lt-reply:focus-visible, .lt-cards:focus-visible, .lt-scroll:focus-visible, .lt-bubble a:focus-visible { outline: 3px solid #f2b53b; outline-offset: 2px; }',
    '.lt-replies { display: flex; flex-wrap: wrap; gap: 6px; padding-top: 2px; }',
    '.lt-reply { border: 1px solid var(--lt-theme); border-radius: 16px; padding: 5px 12px; background: #fff; color: #2d1b69; font-weight: 600; }',
    '.lt-reply:hover { background: #f3f0fb; }',
    '.lt-card { display: flex; flex-direction: column; width: 220px; flex: none; background: #fff; border: 1px solid #e0ddec; border-radius: 12px; overflow: hidden; }',
    '.lt-card-image { width: 100%; height: 120px; object-fit: cover; background: #f0eef7; }',
    '.lt-card-body { padding: 8px 10px 10px; display: flex; flex-direction: column; gap: 2px; flex: 1; }',
    '.lt-card-title { font-weight: 650; overflow-wrap: anywhere; }',
    '.lt-card-subtitle { margin: 0; font-size: 13px; color: #4a4660; overflow-wrap: anywhere; }',
    '.lt-card .lt-choices { margin-top: auto; padding-top: 8px; }',
    '.lt-carousel { position: relative; max-width: 100%; }',
    '.lt-cards { display: flex; gap: 8px; margin: 0; padding: 2px 2px 6px; list-style: none; overflow-x: auto; scroll-snap-type: x mandatory; scroll-padding-inline: 2px; overscroll-behavior-x: contain; }',
    '.lt-cards > li { scroll-snap-align: start; display: flex; }',
    '.lt-scroll { position: absolute; top: 50px; width: 34px; height: 34px; border-radius: 50%; border: 1px solid #cfcbe0; background: #fff; color: #2d1b69; font-size: 20px; line-height: 1; box-shadow: 0 2px 6px rgba(20,10,60,.2); }',
    '.lt-scroll-prev { left: -6px; }',
    '.lt-scroll-next { right: -6px; }',
    '.lt-scroll:disabled { display: none; }',
    '.lt-typing { display: inline-flex; gap: 4px; align-self: flex-start; padding: 12px 14px; border-radius: 14px; background: #ecebf3; }',
    '.lt-typing span[aria-hidden] { width: 7px; height: 7px; border-radius: 50%; background: #6e6a85; }',
    '@media (prefers-reduced-motion: no-preference) {',
    '  .lt-typing span[aria-hidden] { animation: lt-dot 1.2s infinite ease-in-out; }',
    '  .lt-typing span[aria-hidden]:nth-child(2) { animation-delay: .2s; }',
    '  .lt-typing span[aria-hidden]:nth-child(3) { animation-delay: .4s; }',
    '  .lt-cards { scroll-behavior: smooth; }',
    '}',
    '@keyframes lt-dot { 0%, 60%, 100% { opacity: .3; transform: translateY(0); } 30% { opacity: 1; transform: translateY(-3px); } }',
  ].join('\n');

  function webUrl(url) {
    return typeof url === 'string' && /^https?:\/\/\S+$/i.test(url) ? url : '';
  }

  /**
   * deps: el(tag, attrs, children) builds an element (attribute `text` becomes textContent); choose(label, postback)
   * sends a tapped button's postback as the user's message, shown with its label; scrollDown() keeps the newest in view.
   */
  function createRichMedia(deps) {
    var el = deps.el;

    function newTabLink(className, url, label) {
      return el('a', { className: className, href: url, target: '_blank', rel: 'noopener noreferrer' }, [
        document.createTextNode(label),
        el('span', { className: 'lt-sr', text: ' (opens in a new tab)' }),
      ]);
    }

    function choiceButton(b) {
      var url = webUrl(b.url);
      if (url) return newTabLink('lt-choice', url, b.text);
      var button = el('button', { type: 'button', className: 'lt-choice', text: b.text });
      button.addEventListener('click', function () {
        deps.choose(b.text, b.postback || b.text);
      });
      return button;
    }

    /** A bulleted or numbered list; its items are words and links. */
    function list(p) {
      return el(
        p.ordered ? 'ol' : 'ul',
        { className: 'lt-items' },
        p.items.map(function (item) {
          return el(
            'li',
            null,
            item.map(function (q) {
              var url = webUrl(q.url);
              return q.kind === 'link' && url ? newTabLink('', url, q.text) : document.createTextNode(q.text);
            }),
          );
        }),
      );
    }

    function choices(buttons) {
      return el('div', { className: 'lt-choices' }, buttons.map(choiceButton));
    }

    function image(url, className, alt) {
      var img = el('img', { className: className, src: url, alt: alt, loading: 'lazy' });
      img.addEventListener('load', deps.scrollDown);
      return img;
    }

    function video(url) {
      var v = el('video', { className: 'lt-media', src: url, controls: '', preload: 'metadata', playsinline: '' });
      // Not a file the browser can play (a video page, a broken link): offer the link instead of a dead player.
      v.addEventListener('error', function () {
        if (v.parentNode) v.parentNode.replaceChild(newTabLink('', url, 'Open the video'), v);
      });
      return v;
    }

    function card(c, label) {
      var body = el('div', { className: 'lt-card-body' });
      if (c.title) body.appendChild(el('strong', { className: 'lt-card-title', text: c.title }));
      if (c.subtitle) body.appendChild(el('p', { className: 'lt-card-subtitle', text: c.subtitle }));
      if (c.buttons && c.buttons.length) body.appendChild(choices(c.buttons));
      var box = el('div', { className: 'lt-card', role: 'group', 'aria-label': label || c.title || 'Card' });
      var src = webUrl(c.image);
      if (src) box.appendChild(image(src, 'lt-card-image', ''));
      box.appendChild(body);
      return box;
    }

    /** Cards side by side, swiped on touch screens; arrow buttons for a mouse; Tab reaches every card's buttons. */
    function carousel(cards) {
      var track = el(
        'ul',
        { className: 'lt-cards', tabindex: '0' },
        cards.map(function (c, i) {
          return el('li', null, [card(c, 'Card ' + (i + 1) + ' of ' + cards.length + (c.title ? ': ' + c.title : ''))]);
        }),
      );
      var prev = el('button', { type: 'button', className: 'lt-scroll lt-scroll-prev', 'aria-label': 'Previous card', text: '\u2039', disabled: '' });
      var next = el('button', { type: 'button', className: 'lt-scroll lt-scroll-next', 'aria-label': 'Next card', text: '\u203a' });
      function step(direction) {
        var first = track.firstElementChild;
        var width = first ? first.getBoundingClientRect().width + 8 : 228;
        track.scrollBy({ left: direction * width });
      }
      function update() {
        // A few pixels of slack: snapping and rounding leave the ends a pixel or two off.
        prev.disabled = track.scrollLeft <= 4;
        next.disabled = track.scrollLeft + track.clientWidth >= track.scrollWidth - 4;
      }
      prev.addEventListener('click', function () {
        step(-1);
      });
      next.addEventListener('click', function () {
        step(1);
      });
      track.addEventListener('scroll', update);
      setTimeout(update, 0);
      return el('div', { className: 'lt-carousel', role: 'group', 'aria-roledescription': 'carousel', 'aria-label': cards.length + ' cards' }, [prev, track, next]);
    }

    /** One bubble's worth of parts (between splits and delays): inline text and links, media and buttons in a bubble. */
    function drawChunk(stack, parts, replies) {
      var bubble = null;
      function inBubble(node) {
        if (!bubble) {
          bubble = el('div', { className: 'lt-bubble' });
          stack.appendChild(bubble);
        }
        bubble.appendChild(node);
      }
      parts.forEach(function (p) {
        var url = webUrl(p.url);
        if (p.kind === 'text') inBubble(document.createTextNode(p.text));
        else if (p.kind === 'link') inBubble(url ? newTabLink('', url, p.text) : document.createTextNode(p.text));
        else if (p.kind === 'image' && url) inBubble(image(url, 'lt-media', 'Image from the bot'));
        else if (p.kind === 'video' && url) inBubble(video(url));
        else if (p.kind === 'buttons') inBubble(choices(p.buttons));
        else if (p.kind === 'list') inBubble(list(p));
        else if (p.kind === 'replies') replies.push.apply(replies, p.replies);
        else if (p.kind === 'card') {
          bubble = null;
          stack.appendChild(card(p.card));
        } else if (p.kind === 'carousel') {
          bubble = null;
          stack.appendChild(carousel(p.cards));
        }
      });
    }

    function quickReplies(stack, replies) {
      var group = el('div', { className: 'lt-replies', role: 'group', 'aria-label': 'Suggested replies' });
      replies.forEach(function (r) {
        var button = el('button', { type: 'button', className: 'lt-reply', text: r.text });
        button.addEventListener('click', function () {
          // Tapped once, they are gone (Pandorabots' widget does the same): the answer is in the conversation now.
          group.remove();
          deps.choose(r.text, r.postback || r.text);
        });
        group.appendChild(button);
      });
      stack.appendChild(group);
    }

    /**
     * Draws a reply's parts into `stack` (inside `li`). Live replies honour <delay> with typing dots; history (a reload,
     * a reconnect) is drawn at once. Quick replies come last, unless the user answered meanwhile (`li.ltAnswered`).
     */
    function draw(li, stack, parts, live) {
      var chunks = [{ wait: 0, parts: [] }];
      parts.forEach(function (p) {
        if (p.kind === 'split') chunks.push({ wait: 0, parts: [] });
        else if (p.kind === 'delay') chunks.push({ wait: live ? p.seconds : 0, parts: [] });
        else chunks[chunks.length - 1].parts.push(p);
      });
      var replies = [];
      var i = 0;
      function next() {
        while (i < chunks.length) {
          var chunk = chunks[i];
          if (chunk.wait > 0) {
            var wait = chunk.wait;
            chunk.wait = 0;
            var typing = el('div', { className: 'lt-typing' }, [
              el('span', { 'aria-hidden': 'true' }),
              el('span', { 'aria-hidden': 'true' }),
              el('span', { 'aria-hidden': 'true' }),
              el('span', { className: 'lt-sr', text: 'typing' }),
            ]);
            stack.appendChild(typing);
            deps.scrollDown();
            setTimeout(function () {
              typing.remove();
              next();
            }, wait * 1000);
            return;
          }
          drawChunk(stack, chunk.parts, replies);
          i++;
        }
        if (replies.length && !li.ltAnswered) quickReplies(stack, replies);
        deps.scrollDown();
      }
      next();
    }

    /** The user answered: quick replies shown so far go (and ones still behind a delay never come). */
    function answered(list) {
      var items = list.querySelectorAll('.lt-rich');
      for (var i = 0; i < items.length; i++) items[i].ltAnswered = true;
      var groups = list.querySelectorAll('.lt-replies');
      for (var j = 0; j < groups.length; j++) groups[j].remove();
    }

    return { styles: STYLES, draw: draw, answered: answered };
  }

  window.__liveTrainingRichMedia = createRichMedia;
})();
