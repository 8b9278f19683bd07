/* cbhub layout on small screens.
   - The menu button opens and closes the header's tools and navigation (phones only; CSS hides the
     button on wider screens).
   - Tables get a data-label on each cell, the heading of its column, so CSS can stack a row's cells
     under their headings on a phone instead of scrolling sideways. */
(function () {
  "use strict";

  function setMenu(header, open) {
    var toggle = header.querySelector(".menu-toggle");
    header.dataset.menu = open ? "open" : "closed";
    if (toggle) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".menu-toggle");
    if (toggle) {
      var header = toggle.closest(".site-header");
      setMenu(header, header.dataset.menu !== "open");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var header = document.querySelector('.site-header[data-menu="open"]');
    if (header) {
      setMenu(header, false);
      header.querySelector(".menu-toggle").focus();
    }
  });

  function headings(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) {
      return null;
    }
    var labels = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      for (var span = 0; span < (cell.colSpan || 1); span++) {
        labels.push(cell.textContent.trim());
      }
    });
    return labels;
  }

  function labelTable(table) {
    var labels = headings(table);
    if (!labels) {
      return;
    }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && labels[column] && cell.colSpan === 1) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("stacks");
  }

  function labelTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("table")) {
      labelTable(scope);
    }
    scope.querySelectorAll("table").forEach(labelTable);
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelTables(document);
    // Panels that are open on a wide screen start folded on a phone (e.g. a list's filters).
    if (window.matchMedia("(max-width: 48rem)").matches) {
      document.querySelectorAll("details[data-phone-closed][open]").forEach(function (panel) {
        panel.open = false;
      });
    }
  });
  document.addEventListener("htmx:load", function (event) {
    labelTables(event.target);
  });
})();
