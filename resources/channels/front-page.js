/*
 * The Platform's front page: the "Copy" button beside the widget snippet. Served as a file (the page's CSP allows no
 * inline script). The clipboard API needs a secure context (https or 127.0.0.1/localhost); elsewhere, a plain-http
 * Platform on a LAN address, the snippet is selected and copied the old way.
 */
/* global document, navigator, window */
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    var code = document.getElementById(button.getAttribute('data-copy'));
    var status = button.parentNode.querySelector('.copy-status');
    function say(text) {
      if (status) status.textContent = text;
    }
    function selectCode() {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    function fallback() {
      selectCode();
      var copied = false;
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
      say(copied ? 'Copied.' : 'Selected: press Ctrl+C (Cmd+C on a Mac) to copy.');
    }
    button.addEventListener('click', function () {
      var text = code.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () {
            say('Copied.');
          },
          fallback,
        );
      } else fallback();
    });
  });
})();
