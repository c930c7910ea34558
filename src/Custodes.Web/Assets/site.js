// Progressive enhancement only: every form works without this script.
// 1. Determination forms (data-live) are saved in the background and the score panel refreshes.
// 2. Evidence uploads (data-upload) accept drag-and-drop and show progress.
// 3. Details open on the requirement named in the address (#r-3.1.1).
(function () {
  'use strict';

  function setVersion(version) {
    document.querySelectorAll('input[name="version"]').forEach(function (input) { input.value = version; });
  }

  function setStatuses(statuses) {
    Object.keys(statuses || {}).forEach(function (id) {
      var badge = document.getElementById('b-' + id);
      if (!badge) return;
      var status = statuses[id];
      badge.className = 'badge st-' + status;
      badge.textContent = { 'met': 'Met', 'not-met': 'Not met', 'not-applicable': 'N/A', 'unassessed': 'Unassessed' }[status] || status;
    });
  }

  function say(form, text, ok) {
    var box = form.querySelector('.msg') || document.getElementById('live-msg');
    if (!box) return;
    box.className = 'msg ' + (ok ? 'ok' : 'error');
    box.textContent = text;
  }

  function apply(result) {
    if (result.version) setVersion(result.version);
    if (result.score_html) {
      var panel = document.getElementById('score-panel');
      if (panel) panel.innerHTML = result.score_html;
    }
    setStatuses(result.statuses);
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-live') || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector('button[type=submit], button:not([type])');
    if (button) button.disabled = true;
    fetch(form.action, { method: 'POST', body: new FormData(form), headers: { 'X-Requested-With': 'fetch', 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.json().then(function (body) { return { status: response.status, body: body }; }); })
      .then(function (r) {
        if (r.body.ok) apply(r.body);
        say(form, r.body.message || (r.body.ok ? 'Saved.' : 'Not saved.'), r.body.ok);
      })
      .catch(function () { form.removeAttribute('data-live'); form.submit(); })
      .finally(function () { if (button) button.disabled = false; });
  });

  function upload(form, file) {
    var data = new FormData(form);
    if (file) data.set('file', file);
    var bar = form.querySelector('progress');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-Requested-With', 'fetch');
    xhr.setRequestHeader('Accept', 'application/json');
    if (bar) { bar.hidden = false; bar.value = 0; }
    xhr.upload.onprogress = function (e) { if (bar && e.lengthComputable) bar.value = e.loaded / e.total; };
    xhr.onload = function () {
      var body = {};
      // A success carries the new evidence and version; a refusal is problem details (RFC 9457), its reason in "detail".
      var ok = xhr.status >= 200 && xhr.status < 300;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (bar) bar.hidden = true;
      say(form, ok ? (body.message || 'Uploaded.') : body.detail ? 'Not uploaded: ' + body.detail : 'The upload failed (' + xhr.status + ').', ok);
      if (ok) {
        apply(body);
        var list = form.parentElement.querySelector('ul.evidence');
        if (list && body.evidence) {
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.href = body.evidence.href;
          a.textContent = body.evidence.label;
          li.appendChild(a);
          list.appendChild(li);
        }
        form.reset();
      }
    };
    xhr.onerror = function () { if (bar) bar.hidden = true; say(form, 'The upload failed; check your connection and try again.', false); };
    xhr.send(data);
  }

  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    var zone = form.querySelector('.drop');
    form.addEventListener('submit', function (event) {
      if (!window.FormData) return;
      event.preventDefault();
      upload(form, null);
    });
    if (!zone) return;
    ['dragenter', 'dragover'].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove('over'); });
    });
    zone.addEventListener('drop', function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) upload(form, e.dataTransfer.files[0]);
    });
  });

  function openTarget() {
    if (!location.hash) return;
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (var node = el; node; node = node.parentElement) if (node.tagName === 'DETAILS') node.open = true;
    if (el) el.scrollIntoView();
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();

// Irreversible actions ask first: a form with data-confirm submits only after the person agrees.
document.addEventListener('submit', function (e) {
  var form = e.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
}, true);

// "Print for your board or insurer": the browser's print dialog (the print stylesheet fits the home page on one sheet).
document.addEventListener('click', function (e) {
  var button = e.target instanceof Element ? e.target.closest('[data-print]') : null;
  if (button) window.print();
});

// A table that scrolls sideways inside its own box (on a phone) must be reachable by keyboard to be scrolled: it becomes a
// focusable, named region. Tables that fit are left alone, so the tab order does not gain stops for nothing.
(function () {
  'use strict';
  function markScrollable() {
    document.querySelectorAll('main table, main .table-wrap').forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute('tabindex')) box.setAttribute('tabindex', '0');
        if (!box.hasAttribute('role') && box.tagName !== 'TABLE') box.setAttribute('role', 'region');
        if (!box.hasAttribute('aria-label')) {
          var caption = box.querySelector('caption');
          box.setAttribute('aria-label', (caption && caption.textContent.trim()) || 'Table (scrolls sideways)');
        }
      }
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', markScrollable); else markScrollable();
  window.addEventListener('resize', markScrollable);
})();
