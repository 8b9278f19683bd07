// Skip logic on the respondent's page: a question whose data-show-if condition does not hold is
// hidden as answers change. The server applies the same rule (surveys.definition.is_shown) and
// drops the answers of hidden questions, so this only spares the respondent questions that do not
// apply to them.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) { return; }
  function answer(code) {
    var values = [];
    form.querySelectorAll('[name="' + code + '"]').forEach(function (input) {
      if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (option) { values.push(option.value); });
      } else if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) { values.push(input.value); }
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }
  function holds(condition) {
    if (condition.any) { return condition.any.some(holds); }
    if (condition.all) { return condition.all.every(holds); }
    var values = answer(condition.question);
    var expected = String(condition.value);
    var block = document.getElementById("q-" + condition.question);
    if (block && block.hidden) { values = []; }
    if (condition.op === "selected") { return values.indexOf(expected) !== -1; }
    if (condition.op === "eq") { return values.length === 1 && values[0] === expected; }
    if (condition.op === "ne") { return !(values.length === 1 && values[0] === expected); }
    var number = parseFloat(values[0]), threshold = parseFloat(expected);
    if (isNaN(number) || isNaN(threshold)) { return false; }
    return condition.op === "gt" ? number > threshold : number < threshold;
  }
  function refresh() {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      block.hidden = !holds(JSON.parse(block.dataset.showIf));
    });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
})();
