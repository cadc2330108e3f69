// Annual report editor (a static file: the CSP allows no inline script).
(function () {
// Insert a figure placeholder at the cursor of the paragraph being edited.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-insert]"); if (!b) return;
  var ta = b.closest("form").querySelector("[data-paragraph-text]"); if (!ta) return;
  var s = ta.selectionStart || ta.value.length, t = b.dataset.insert;
  ta.value = ta.value.slice(0, s) + t + ta.value.slice(ta.selectionEnd || s); ta.focus();
  ta.selectionStart = ta.selectionEnd = s + t.length;
});
})();
