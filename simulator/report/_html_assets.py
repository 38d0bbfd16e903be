"""The report page's inline style sheet and script (no external URL, nothing to fetch)."""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { --fg: #1d2330; --dim: #6b7280; --line: #e3e6eb; --bad: #b42318; --good: #067647;
        --fact: #fff3bf; --leak: #ffd5d2; --attempt: #ece6ff; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
       margin: 0 auto; max-width: 1200px; padding: 16px 24px 64px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
nav a { margin-right: 12px; } .dim, .notes { color: var(--dim); }
.meta { color: var(--dim); margin: 0 0 8px; }
table { border-collapse: collapse; margin: 8px 0 4px; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { text-align: right; font-weight: 600; } td { text-align: right; }
th.l, td.l { text-align: left; }
p.caption { color: var(--dim); font-size: 12px; margin: 0 0 12px; max-width: 1000px; }
figure { display: inline-block; margin: 8px 16px 8px 0; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid var(--line); }
figcaption { color: var(--dim); font-size: 12px; }
.filters { position: sticky; top: 0; background: #fff; padding: 8px 0; z-index: 1;
           border-bottom: 1px solid var(--line); }
.filters label { margin-right: 12px; } .filters select { max-width: 260px; }
details.dialogue { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0;
                   padding: 4px 10px; }
details.dialogue > summary { cursor: pointer; }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px;
       background: #eef0f3; margin-right: 2px; }
.tag.success { background: #d1fadf; color: var(--good); }
.tag.failure { background: #fee4e2; color: var(--bad); }
.tag.error, .tag.leak { background: var(--bad); color: #fff; }
.end { font-family: ui-monospace, monospace; font-size: 12px; }
.scores { margin: 6px 0; font-size: 13px; } .bad { color: var(--bad); }
ol.events { list-style: none; padding: 0; margin: 6px 0; }
ol.events li { margin: 4px 0; padding: 4px 8px; border-left: 3px solid var(--line); }
li.user { border-color: #3b82f6; } li.agent { border-color: #10b981; }
li.final { opacity: .7; } li.tool, li.model { font-family: ui-monospace, monospace;
  font-size: 12px; color: var(--dim); white-space: pre-wrap; word-break: break-all; }
li.tool.error, li.error, li.violation { color: var(--bad); }
li.attempt { border-color: #7c3aed; background: var(--attempt); }
li.attempt.premature { border-color: var(--bad); }
li.end { font-weight: 600; }
li.move { border-color: transparent; font-size: 12px; color: #7c3aed; padding-top: 0; }
.who { font-weight: 600; font-size: 12px; text-transform: uppercase; color: var(--dim); }
.text { white-space: pre-wrap; }
mark.fact { background: var(--fact); } mark.leak { background: var(--leak); color: var(--bad);
  font-weight: 600; }
"""

JS = """
(function () {
  "use strict";
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var items = Array.prototype.slice.call(
    document.querySelectorAll("#transcripts details.dialogue"));
  var shown = document.getElementById("shown");
  function matches(el, key, want) {
    var have = el.getAttribute("data-" + key) || "";
    return key === "outcome" ? have.split(" ").indexOf(want) >= 0 : have === want;
  }
  function apply() {
    var count = 0;
    items.forEach(function (el) {
      var ok = selects.every(function (s) {
        return !s.value || matches(el, s.getAttribute("data-filter"), s.value);
      });
      el.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
  }
  function openAll(open) {
    items.forEach(function (el) { if (!el.hidden) { el.open = open; } });
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.getElementById("expand").addEventListener("click", function () { openAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { openAll(false); });
  apply();
})();
"""


def script_hash() -> str:
    """The CSP source for the page's one script, so no other script (say, injected) can run."""
    digest = hashlib.sha256(JS.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"
