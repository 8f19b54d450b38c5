// Rõ Việc: small helpers for the pages. Every page works without this file; it only saves clicks.
(function () {
  "use strict";

  // A refused form: its summary of what to mend has the focus, on the first screen (the server put the form's
  // address in the action, so the browser already opened the page there; the focus makes a screen reader say it).
  var summary = document.querySelector(".error-summary");
  if (summary) {
    var folded = summary.closest("details");
    if (folded) { folded.open = true; }
    var focusSummary = function () {
      summary.focus();
      summary.scrollIntoView({block: "start"});
    };
    focusSummary();
    // The browser goes to the address's #fragment once the page has loaded, and that takes the focus back.
    window.addEventListener("load", function () { window.setTimeout(focusSummary, 0); });
  }

  // A completion report needs its document: the evidence fields become required when "Đã hoàn thành" is chosen.
  document.querySelectorAll("input[name=status][type=radio]").forEach(function (radio) {
    var form = radio.form;
    function sync() {
      var done = form.querySelector("input[name=status][value=reported_done]");
      ["document_number", "document_date"].forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        if (input && done) {
          input.required = done.checked;
          input.setAttribute("aria-required", done.checked ? "true" : "false");
          var label = form.querySelector("label[for='" + input.id + "']");
          if (label) { label.classList.toggle("required-now", done.checked); }
        }
      });
    }
    radio.addEventListener("change", sync);
    sync();
  });

  // The task list's filters fold away on a phone, unless a filter is in use.
  var fold = document.getElementById("filters-fold");
  if (fold && !fold.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 720px)").matches) {
    fold.open = false;
  }

  // A filter that changes submits its form at once.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  // Ask before an action that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Copy a secret shown once.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = button.parentElement.querySelector(button.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () { button.textContent = "Đã sao chép"; });
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // The menu folds on a phone.
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      document.getElementById("menu").classList.toggle("open", !open);
    });
  }

  // Sortable tables: a header button sorts by its column (numbers by their data-value).
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th button[data-sort]").forEach(function (button, index) {
      button.addEventListener("click", function () {
        var th = button.parentElement;
        var descending = th.getAttribute("aria-sort") !== "descending";
        table.querySelectorAll("thead th").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var numeric = button.getAttribute("data-sort") === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index].getAttribute("data-value") || a.cells[index].textContent;
          var y = b.cells[index].getAttribute("data-value") || b.cells[index].textContent;
          var order = numeric ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y, "vi");
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // Highlight the parts of a notice a draft came from (the import review page).
  document.querySelectorAll("[data-source-start]").forEach(function (draft) {
    draft.addEventListener("focusin", function () { highlight(draft, true); });
    draft.addEventListener("mouseenter", function () { highlight(draft, true); });
    draft.addEventListener("mouseleave", function () { highlight(draft, false); });
  });
  function highlight(draft, on) {
    var target = document.getElementById("src-" + draft.getAttribute("data-draft"));
    if (target) {
      target.classList.toggle("active", on);
      // Scroll the notice's own panel, never the page: the page must stay where the officer is working.
      var panel = target.closest(".notice-text");
      if (on && panel) { panel.scrollTop = target.offsetTop - panel.offsetTop - 40; }
    }
  }
})();
