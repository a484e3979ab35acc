"use strict";
(function () {
  var container = document.getElementById("findings-table");
  var head = document.getElementById("findings-head");
  var controls = document.getElementById("controls");
  if (!container || !head || !controls) {
    return;
  }
  var bodies = Array.prototype.slice.call(container.querySelectorAll("tbody"));
  var chunk = Number(container.dataset.chunk) || 200;
  var rows = Array.prototype.slice.call(container.querySelectorAll("tbody tr"));
  var search = document.getElementById("search");
  var selects = {
    severity: document.getElementById("filter-severity"),
    confidence: document.getElementById("filter-confidence"),
    head: document.getElementById("filter-head")
  };
  var facetBox = document.getElementById("facet");
  var facetLabel = document.getElementById("facet-label");
  var shown = document.getElementById("shown");
  var ranks = { critical: 5, high: 4, medium: 3, low: 2, info: 1, yes: 1, no: 0 };
  var facets = { rule: "rule", path: "path", author: "author", month: "month" };
  var facet = null;
  var texts = null;
  var months = null;
  var timer = 0;

  function monthOf(row) {
    var time = row.dataset.time;
    return time === undefined ? "" : new Date(Number(time) * 1000).toISOString().slice(0, 7);
  }

  function facetValue(row, index) {
    if (facet.field === "month") {
      if (months === null) {
        months = rows.map(monthOf);
      }
      return months[index];
    }
    return row.dataset[facet.field];
  }

  function apply() {
    var query = search.value.trim().toLowerCase();
    var wanted = {};
    Object.keys(selects).forEach(function (name) {
      wanted[name] = selects[name] ? selects[name].value : "";
    });
    if (query && texts === null) {
      texts = rows.map(function (row) {
        return row.textContent.toLowerCase();
      });
    }
    var count = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var data = row.dataset;
      var keep = (!wanted.severity || data.severity === wanted.severity) &&
        (!wanted.confidence || data.confidence === wanted.confidence) &&
        (!wanted.head || data.head === wanted.head) &&
        (!facet || facetValue(row, i) === facet.value) &&
        (!query || texts[i].indexOf(query) !== -1);
      if (row.hidden === keep) {
        row.hidden = !keep;
      }
      if (keep) {
        count++;
      }
    }
    shown.textContent = String(count);
  }

  function setFacet(field, value) {
    facet = field && facets[field] ? { field: field, value: value } : null;
    facetBox.hidden = facet === null;
    facetLabel.textContent = facet ? facets[field] + ": " + value : "";
    apply();
  }

  function sortKey(row, index, field) {
    if (field === "index") {
      return index;
    }
    var value = row.dataset[field];
    if (field === "time") {
      return value === undefined ? -Infinity : Number(value);
    }
    if (field === "severity" || field === "head") {
      return value === undefined ? -1 : ranks[value];
    }
    return value === undefined ? "" : value.toLowerCase();
  }

  function sortBy(header) {
    var field = header.dataset.sort;
    var current = header.getAttribute("aria-sort");
    var direction = current
      ? (current === "ascending" ? "descending" : "ascending")
      : (header.dataset.first || "ascending");
    var sign = direction === "ascending" ? 1 : -1;
    var keyed = rows.map(function (row, index) {
      return { row: row, key: sortKey(row, index, field), index: index };
    });
    keyed.sort(function (a, b) {
      if (a.key < b.key) {
        return -sign;
      }
      if (a.key > b.key) {
        return sign;
      }
      return a.index - b.index;
    });
    for (var start = 0, body = 0; start < keyed.length; start += chunk, body++) {
      var fragment = document.createDocumentFragment();
      keyed.slice(start, start + chunk).forEach(function (item) {
        fragment.appendChild(item.row);
      });
      bodies[body].appendChild(fragment);
    }
    headers.forEach(function (other) {
      if (other === header) {
        other.setAttribute("aria-sort", direction);
      } else {
        other.removeAttribute("aria-sort");
      }
    });
  }

  var headers = Array.prototype.slice.call(head.querySelectorAll("th[data-sort]"));
  headers.forEach(function (header) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = header.textContent;
    button.title = "Sort by " + header.textContent.toLowerCase();
    header.textContent = "";
    header.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(header);
    });
  });

  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, rows.length > 2000 ? 150 : 0);
  });
  Object.keys(selects).forEach(function (name) {
    if (selects[name]) {
      selects[name].addEventListener("change", apply);
    }
  });
  document.getElementById("facet-clear").addEventListener("click", function () {
    setFacet(null, null);
  });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-facet]") : null;
    if (!target) {
      return;
    }
    event.preventDefault();
    setFacet(target.dataset.facet, target.dataset.value);
    document.getElementById("findings").scrollIntoView();
  });
  controls.hidden = false;
  document.documentElement.setAttribute("data-ready", "");
})();
