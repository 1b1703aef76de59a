// The award criteria's "Weights so far: N of 100" follows what the buyer types.
(function () {
  "use strict";
  var total = document.querySelector("[data-weights-total]");
  if (!total) {
    return;
  }
  var form = total.closest("form");
  var template = total.getAttribute("data-template");
  function update() {
    var sum = 0;
    form.querySelectorAll("input[name$='-weight']").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) {
        sum += value;
      }
    });
    total.textContent = template.replace("%s", String(sum));
  }
  form.addEventListener("input", update);
})();
