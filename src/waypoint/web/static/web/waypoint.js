// The few behaviours pages declare with data- attributes. A file of its own, never inline,
// so that the Content-Security-Policy can refuse every script the server did not send.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.closest) return;
    var form = event.target.closest("form[data-submit-on-ctrl-enter]");
    if (form && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.target.closest("[data-enter-does-not-submit]")) {
      event.preventDefault();
    }
  });

  // The folded menu (a <details>, which opens without us) also closes on Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.querySelector("details.menu[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // Tabs that load their panel with htmx keep aria-selected on the tab the URL names.
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.detail.target;
    if (!panel.matches("[data-tab-panel]")) return;
    var current = new URLSearchParams(window.location.search).get("tab") || panel.dataset.tabPanel;
    document.querySelectorAll("[data-tabs] a").forEach(function (a) {
      a.setAttribute("aria-selected", a.getAttribute("href") === "?tab=" + current ? "true" : "false");
    });
  });
})();
