/* cbhub forms: every <select data-searchable> becomes a searchable select (Tom Select), on load and
   after each htmx swap. The strings come from data attributes rendered in the user's language. */
(function () {
  "use strict";

  // htmx keeps pages in its history cache as HTML: a restored page holds the widget's markup
  // without the widget. Drop that markup so the select can be enhanced afresh.
  function cleanRestored(select) {
    var next = select.nextElementSibling;
    if (next && next.classList.contains("ts-wrapper")) {
      next.remove();
    }
    select.classList.remove("tomselected", "ts-hidden-accessible");
    select.removeAttribute("tabindex");
    select.removeAttribute("aria-hidden");
  }

  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    if (select.classList.contains("tomselected")) {
      cleanRestored(select);
    }
    var multiple = select.dataset.searchable === "multiple";
    var noResults = select.dataset.noResults || "No match";
    var settings = {
      maxOptions: null,
      allowEmptyOption: !multiple,
      hidePlaceholder: true,
      placeholder: select.dataset.placeholder || "",
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(noResults) + "</div>";
        },
      },
    };
    if (multiple) {
      settings.plugins = { remove_button: { title: select.dataset.removeLabel || "Remove" } };
    }
    new TomSelect(select, settings);
    // The original select stays in the form for submitting, but the widget's combobox (which the
    // label now names) is the control: hide the select from assistive technology.
    select.setAttribute("aria-hidden", "true");
  }

  function enhanceAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("select[data-searchable]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
  document.addEventListener("htmx:historyRestore", function () {
    enhanceAll(document);
  });
})();
