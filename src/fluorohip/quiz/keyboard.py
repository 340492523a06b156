"""Keyboard and focus support for the quiz views: a little CSS and one delegated script.

The controls stay plain ipywidgets (answers reach Python through their traits); this adds
only what the browser and JupyterLab do not give them:

- arrow keys (and Home/End) move between the options of one question, instead of
  JupyterLab taking ArrowUp/ArrowDown to the previous/next cell; on radio buttons they
  also select, as in any radio group;
- Enter on an option or in a number box presses the question's Check;
- after Check (or Show answer) focus moves to the feedback, an ARIA live region, so the
  verdict is read out and Tab continues from there; after Try again, back to the options;
- a visible focus ring everywhere in a question; option labels wrap instead of being cut;
- a "Skip to the quiz" link (Markdown at the top of each chapter) moves focus to the first
  open question instead of scrolling only.

The script is installed once per page by an ``<img onerror>`` in an ``HTML`` widget (the
widget sets its HTML as ``innerHTML``, where ``<script>`` never runs); it listens on
``window`` in the capture phase, so it sees keys before JupyterLab's shortcut handler.
The widget adds no output of its own, so stored notebooks and nbval are unchanged.
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..ui.palette import FOCUS_RING

FOCUS = FOCUS_RING

CSS = f"""
.fluorohip-question .widget-radio-box {{ flex-direction: column; height: auto; }}
.fluorohip-question .widget-radio-box label,
.fluorohip-question .widget-checkbox label.widget-label-basic {{
  display: flex; align-items: flex-start; gap: 0.5em; height: auto !important; min-height: 1.6em;
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  line-height: 1.4; padding: 3px 2px; margin: 1px 0; width: auto; max-width: 100%;
}}
.fluorohip-question .widget-radio-box label {{ flex-direction: row-reverse; justify-content: flex-end; }}
.fluorohip-question .widget-radio-box input, .fluorohip-question .widget-checkbox input {{
  flex: none; float: none; margin: 0.25em 0 0 1px; height: auto; line-height: normal;
}}
.fluorohip-question .widget-checkbox {{ height: auto !important; width: 100%; }}
.fluorohip-question .widget-label, .fluorohip-question .widget-label-basic,
.fluorohip-question .widget-dropdown > label, .fluorohip-question .widget-text > label {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
.fluorohip-question :focus-visible, .fluorohip-question input:focus, .fluorohip-question select:focus,
.fluorohip-question button:focus, .fluorohip-feedback:focus {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px;
}}
.fluorohip-feedback:focus {{ border-radius: 2px; }}
"""

# Plain ES5 in one function; single quotes only (it sits in a double-quoted attribute).
# The feedback region gets no aria-label: on a div without a role that is prohibited ARIA
# (axe-core aria-prohibited-attr, serious). No // comments inside JS: it is inlined on one line.
JS = r"""
(function () {
  if (window.__fluorohipQuizKeys) { return; }
  window.__fluorohipQuizKeys = true;
  var Q = '.fluorohip-question';
  function own(q, sel) {
    return Array.prototype.filter.call(q.querySelectorAll(sel), function (el) { return el.closest(Q) === q; });
  }
  function choices(q, type) {
    return own(q, 'input[type=' + type + ']').filter(function (el) { return !el.disabled; });
  }
  function live(f) {
    if (!f.hasAttribute('aria-live')) {
      f.setAttribute('aria-live', 'polite');
      f.setAttribute('aria-atomic', 'true');
      f.setAttribute('tabindex', '-1');
    }
    return f;
  }
  function prepare(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('.fluorohip-feedback'), live);
  }
  function firstInput(q) {
    var on = own(q, 'input:checked:not([disabled])')[0];
    return on || own(q, 'input:not([disabled]), select:not([disabled])')[0];
  }
  function afterUpdate(q, done) {
    var f = own(q, '.fluorohip-feedback')[0];
    if (!f) { return; }
    live(f);
    var before = f.innerHTML, n = 0;
    (function poll() {
      if (f.innerHTML !== before || n > 80) { done(f); return; }
      n += 1; setTimeout(poll, 50);
    })();
  }
  function toFeedback(q) {
    afterUpdate(q, function (f) {
      var check = own(q, '.fluorohip-check')[0];
      if (check && !check.disabled && f.querySelector('.fluorohip-invalid')) { return; }
      f.focus();
    });
  }
  var lastChange = 0;
  function check(q) {
    var b = own(q, '.fluorohip-check')[0];
    if (!b || b.disabled) { return; }
    /* ipywidgets holds back a state update while an earlier one is unanswered, but sends a
       button click at once: wait until the last option change has had time to reach Python. */
    setTimeout(function () { if (!b.disabled) { b.click(); } }, Math.max(0, 400 - (Date.now() - lastChange)));
  }
  window.addEventListener('keydown', function (e) {
    var t = e.target;
    if (!t || !t.closest) { return; }
    var q = t.closest(Q);
    if (!q || t.tagName !== 'INPUT') { return; }
    var k = e.key;
    if (t.type === 'radio' || t.type === 'checkbox') {
      if (['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].indexOf(k) >= 0) {
        e.stopPropagation(); e.preventDefault();
        var g = choices(q, t.type), i = g.indexOf(t), n = g.length;
        if (!n) { return; }
        var j = k === 'Home' ? 0 : k === 'End' ? n - 1
          : (k === 'ArrowDown' || k === 'ArrowRight') ? (i + 1) % n : (i - 1 + n) % n;
        g[j].focus();
        if (t.type === 'radio' && !g[j].checked) { g[j].click(); lastChange = Date.now(); }
      } else if (k === 'Enter') {
        e.stopPropagation(); e.preventDefault(); check(q);
      } else if (k === ' ') {
        e.stopPropagation();
      }
    } else if (k === 'Enter' && (t.type === 'text' || t.type === 'number')) {
      e.stopPropagation(); e.preventDefault(); check(q);
    }
  }, true);
  window.addEventListener('input', function () { lastChange = Date.now(); }, true);
  window.addEventListener('change', function () { lastChange = Date.now(); }, true);
  window.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) { return; }
    if (t.tagName === 'INPUT') { lastChange = Date.now(); }
    var link = t.closest('a');
    if (link && /^\s*skip to the quiz/i.test(link.textContent || '')) {
      var quiz = document.querySelector('.fluorohip-quiz');
      if (!quiz) { return; }
      e.preventDefault(); e.stopPropagation();
      var qs = quiz.querySelectorAll(Q), target = null;
      for (var m = 0; m < qs.length && !target; m++) { target = own(qs[m], 'input:not([disabled]), select:not([disabled])')[0]; }
      target = target || quiz.querySelector('button');
      if (target) { target.scrollIntoView({block: 'center'}); target.focus(); }
      return;
    }
    var q = t.closest(Q);
    if (!q) { return; }
    var b = t.closest('button');
    if (!b) { return; }
    var early = 400 - (Date.now() - lastChange);
    if (b.classList.contains('fluorohip-check') && early > 0) {
      e.stopPropagation(); e.preventDefault();
      setTimeout(function () { if (!b.disabled) { b.click(); } }, early);
      return;
    }
    if (b.classList.contains('fluorohip-check') || b.classList.contains('fluorohip-show')
        || b.classList.contains('fluorohip-see-feedback')) {
      toFeedback(q);
    } else if (b.classList.contains('fluorohip-retry')) {
      afterUpdate(q, function () { var x = firstInput(q); if (x) { x.focus(); } });
    }
  }, true);
  prepare(document);
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      Array.prototype.forEach.call(r.addedNodes, function (node) { if (node.querySelectorAll) { prepare(node); } });
    });
  }).observe(document.body, {childList: true, subtree: true});
})();
"""


def support_html() -> str:
    """The ``<style>`` and the one-time script, as HTML for an ``HTML`` widget."""
    script = " ".join(line.strip() for line in JS.strip().splitlines())
    css = " ".join(line.strip() for line in CSS.strip().splitlines())
    return (
        f"<style>{css}</style>"
        f'<img src="data:," alt="" width="0" height="0" style="display:none" '
        f'onerror="{html.escape(script, quote=True)}">'
    )


def keyboard_support() -> W.HTML:
    """A zero-size widget that installs the quiz keyboard and focus support on its page."""
    w = W.HTML(
        value=support_html(),
        layout=W.Layout(width="0px", height="0px", margin="0", overflow="hidden"),
    )
    w.add_class("fluorohip-keyboard")
    return w
