/* CPV picker: progressive enhancement of the "Activities (CPV codes)" field.

   Without JavaScript people type codes into the text field, separated by commas or spaces.
   With it, a combobox (WAI-ARIA 1.2 combobox with a listbox popup) searches /api/cpv; choosing an
   activity adds its code to that same text field and shows it as a removable chip, so the form
   posts exactly what it posts without JavaScript. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  var SEPARATORS = /[\s,;]+/;
  var CODE = /^(\d{8})(?:-\d)?$/;
  var MIN_CHARS = 2;
  var LIMIT = 10;
  var DELAY_MS = 200;

  function tokensOf(value) {
    return value.split(SEPARATORS).filter(function (token) { return token !== ""; });
  }

  function codeOf(token) {
    var match = CODE.exec(token);
    return match ? match[1] : null;
  }

  function make(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
    if (text) { element.textContent = text; }
    return element;
  }

  // The picker's words come from data attributes on its container, so the server translates
  // them: data-search-label, data-search-help, data-remove-label, data-no-results,
  // data-results-label, data-added-label, data-removed-label, data-unavailable (and data-api).
  function wordsOf(root, field) {
    var data = root.dataset;
    var fieldLabel = document.querySelector("label[for='" + field.id + "']");
    return {
      api: data.api || "/api/cpv",
      searchLabel: data.searchLabel || (fieldLabel ? fieldLabel.textContent.trim() : ""),
      searchHelp: data.searchHelp || "",
      removeLabel: data.removeLabel || "×",
      noResults: data.noResults || "",
      resultsLabel: data.resultsLabel || "",
      addedLabel: data.addedLabel || "+",
      removedLabel: data.removedLabel || "−",
      unavailable: data.unavailable || ""
    };
  }

  function enhance(root, field) {
    var chosen = root.querySelector(".cpv-chosen");
    if (!chosen) {
      chosen = make("div", { "class": "cpv-chosen" });
      chosen.appendChild(make("ul", { "class": "chip-list" }));
      root.appendChild(chosen);
    }
    var chipList = chosen.querySelector(".chip-list");
    var text = wordsOf(root, field);
    var id = field.id + "_search";
    var labels = {};
    var results = [];
    var active = -1;
    var timer = null;
    var requestNumber = 0;

    var box = make("div", { "class": "cpv-search" });
    var label = make("label", { "for": id }, text.searchLabel);
    var help = make("div", { "class": "field__help", "id": id + "_help" }, text.searchHelp);
    var input = make("input", {
      "type": "text",
      "id": id,
      "role": "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": id + "_listbox",
      "aria-describedby": id + "_help",
      "autocomplete": "off",
      "spellcheck": "false"
    });
    var listbox = make("ul", {
      "id": id + "_listbox",
      "role": "listbox",
      "class": "cpv-listbox",
      "aria-label": text.searchLabel
    });
    var message = make("p", { "class": "field__help cpv-status", "id": id + "_message" });
    var live = make("div", { "class": "visually-hidden", "role": "status" });
    listbox.hidden = true;
    box.append(label, help, input, listbox, message, live);
    root.appendChild(box);

    function announce(words) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = words; }, 50);
    }

    // The text field is the truth; chips mirror it.
    function fieldCodes() {
      return tokensOf(field.value).map(codeOf).filter(Boolean);
    }

    function makeChip(code) {
      var chip = make("li", { "class": "chip", "data-code": code });
      var words = labels[code] || code;
      chip.appendChild(make("span", { "class": "chip__text" }, words));
      addRemoveButton(chip, words);
      return chip;
    }

    function addRemoveButton(chip, words) {
      var button = make("button", {
        "type": "button",
        "class": "chip__remove",
        "aria-label": text.removeLabel + " " + words
      }, "×");
      button.addEventListener("click", function () { removeCode(chip.dataset.code); });
      chip.appendChild(button);
    }

    function syncChips() {
      var codes = fieldCodes();
      var existing = {};
      Array.prototype.forEach.call(chipList.querySelectorAll(".chip"), function (chip) {
        if (codes.indexOf(chip.dataset.code) === -1 || existing[chip.dataset.code]) {
          chip.remove();
        } else {
          existing[chip.dataset.code] = chip;
        }
      });
      codes.forEach(function (code) {
        if (!existing[code]) {
          existing[code] = makeChip(code);
        }
        chipList.appendChild(existing[code]);
      });
      chosen.hidden = codes.length === 0;
    }

    function addCode(result) {
      labels[result.code] = result.full_code + " " + result.label;
      if (fieldCodes().indexOf(result.code) === -1) {
        var current = field.value.trim().replace(/[,;]+$/, "").trim();
        field.value = current ? current + ", " + result.full_code : result.full_code;
        syncChips();
      }
      announce(text.addedLabel + " " + labels[result.code]);
    }

    function removeCode(code) {
      var chips = Array.prototype.slice.call(chipList.querySelectorAll(".chip"));
      var index = chips.findIndex(function (chip) { return chip.dataset.code === code; });
      var words = labels[code] || code;
      field.value = tokensOf(field.value).filter(function (token) {
        return codeOf(token) !== code;
      }).join(", ");
      syncChips();
      announce(text.removedLabel + " " + words);
      var remaining = chipList.querySelectorAll(".chip__remove");
      if (remaining.length) {
        remaining[Math.min(index, remaining.length - 1)].focus();
      } else {
        input.focus();
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      active = index;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var result = results[index];
      if (!result) { return; }
      addCode(result);
      input.value = "";
      close();
      message.textContent = "";
      input.focus();
    }

    function show(found) {
      results = found;
      listbox.textContent = "";
      found.forEach(function (result, i) {
        var option = make("li", {
          "id": id + "_option_" + i,
          "role": "option",
          "class": "cpv-option",
          "aria-selected": "false"
        });
        option.append(make("span", { "class": "code" }, result.full_code), " " + result.label);
        // Keep focus in the input when an option is clicked.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(i); });
        listbox.appendChild(option);
      });
      active = -1;
      if (found.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        message.textContent = "";
        announce(text.resultsLabel + " " + found.length);
      } else {
        close();
        message.textContent = text.noResults;
        announce(text.noResults);
      }
    }

    function search() {
      var query = input.value.trim();
      var number = ++requestNumber;
      if (query.length < MIN_CHARS) {
        close();
        message.textContent = "";
        return;
      }
      var url = text.api + "?q=" + encodeURIComponent(query) + "&limit=" + LIMIT;
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          if (number === requestNumber) { show(data.results || []); }
        })
        .catch(function () {
          if (number === requestNumber) {
            close();
            message.textContent = text.unavailable;
          }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = results.length;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!count) { return; }
          if (listbox.hidden) {
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
          }
          highlight(active + 1 >= count ? 0 : active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!count || listbox.hidden) { return; }
          highlight(active <= 0 ? count - 1 : active - 1);
          break;
        case "Enter":
          // The search box is not part of the form: Enter chooses, it never submits.
          event.preventDefault();
          if (!listbox.hidden && active >= 0) { choose(active); }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            message.textContent = "";
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", close);
    field.addEventListener("input", syncChips);

    // Chips the server rendered (the saved codes, or what was typed before an error).
    Array.prototype.forEach.call(chipList.querySelectorAll(".chip"), function (chip) {
      var words = chip.querySelector(".chip__text").textContent.replace(/\s+/g, " ").trim();
      labels[chip.dataset.code] = words;
      addRemoveButton(chip, words);
    });
    syncChips();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-cpv-picker]"), function (field) {
      if (field.dataset.cpvPickerReady) { return; }
      field.dataset.cpvPickerReady = "true";
      var root = field.closest("[data-cpv-picker-root]") || field.closest(".cpv-picker") ||
        field.parentNode;
      enhance(root, field);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
