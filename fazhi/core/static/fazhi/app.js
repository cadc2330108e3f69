// Small page helpers; no framework, nothing fetched from outside the site.
(function () {
  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-toggle-nav]");
    if (t) {
      var nav = document.getElementById("nav");
      var open = nav.classList.toggle("open");
      t.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  // <select data-autosubmit>: choosing a value submits its form (no inline onchange: the CSP forbids it)
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]") && e.target.form) { e.target.form.submit(); }
  });
  // A ledger's "select all on this page" box: <input type="checkbox" data-select-all="ids">
  document.addEventListener("change", function (e) {
    var name = e.target.dataset && e.target.dataset.selectAll;
    if (!name) { return; }
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) { box.checked = e.target.checked; });
  });
  // Confirmation before destructive actions: <button data-confirm="确定删除？">
  document.addEventListener("submit", function (e) {
    var btn = e.submitter;
    var msg = (btn && btn.dataset.confirm) || e.target.dataset.confirm;
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  }, true);
  // Forms marked data-keep-draft keep what was typed in localStorage, so a dropped connection on a
  // village road loses nothing. A draft that was submitted is dropped when the form comes back
  // without errors (the save went through); with errors, or never submitted, it is restored.
  function key(form) { return "fazhi-draft:" + location.pathname + ":" + (form.id || "form"); }
  function hasErrors(form) {
    return !!(form.querySelector(".errorlist, .msg.error, [role=alert]") || document.querySelector(".messages .msg.error"));
  }
  function restore(form) {
    var raw = localStorage.getItem(key(form));
    if (!raw) return;
    try {
      var draft = JSON.parse(raw);
      if (!draft.values) draft = {values: draft, submitted: false};
      if (draft.submitted && !hasErrors(form)) { localStorage.removeItem(key(form)); return; }
      var data = draft.values;
      Object.keys(data).forEach(function (name) {
        var parts = name.split("::");
        if (parts.length === 2) {  // a checkbox or radio button, saved per box
          var box = form.querySelector('[name="' + parts[0] + '"][value="' + parts[1] + '"]');
          if (box) box.checked = data[name];
          return;
        }
        var el = form.elements[name];
        if (!el || el.type === "hidden" || el.type === "file" || el.type === "password") return;
        if (el.tagName === "SELECT" || !el.value) el.value = data[name];
      });
      var note = form.querySelector("[data-draft-note]");
      if (note) note.hidden = false;
    } catch (err) { /* ignore a corrupt draft */ }
  }
  function save(form, submitted) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "password" || el.name === "csrfmiddlewaretoken") return;
      if (el.type === "checkbox" || el.type === "radio") { data[el.name + "::" + el.value] = el.checked; return; }
      data[el.name] = el.value;
    });
    localStorage.setItem(key(form), JSON.stringify({values: data, submitted: !!submitted}));
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form, false); });
      form.addEventListener("change", function () { save(form, false); });
      form.addEventListener("submit", function () { save(form, true); });
    });
    document.querySelectorAll("[data-draft-saved]").forEach(function (el) {
      localStorage.removeItem("fazhi-draft:" + el.dataset.draftSaved);
    });
  });
})();
