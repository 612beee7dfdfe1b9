/* A filter box for long lists of checkboxes (the action form's partners): typing hides the
   choices whose name does not hold what was typed. Without this script the list is still a
   list of checkboxes, so the form works all the same. */
(function () {
  "use strict";

  // Accents and case are ignored, so that "cote" finds "Côte d'Ivoire".
  function comparable(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function addFilter(list) {
    var choices = Array.prototype.slice.call(list.children);
    var box = document.createElement("input");
    var label = document.createElement("label");
    var count = document.createElement("p");
    box.type = "search";
    box.id = list.id + "_filter";
    box.autocomplete = "off";
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-describedby", box.id + "_count");
    label.htmlFor = box.id;
    label.className = "filter-label";
    label.textContent = "Filter by name";
    count.id = box.id + "_count";
    count.className = "help";
    count.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(label, list);
    list.parentNode.insertBefore(box, list);
    list.parentNode.insertBefore(count, list);

    function filter() {
      var wanted = comparable(box.value);
      var shown = 0;
      choices.forEach(function (choice) {
        // A ticked choice stays in view, so that nobody loses sight of what the form will save.
        var keep = !wanted || choice.querySelector("input:checked") !== null ||
          comparable(choice.textContent).indexOf(wanted) !== -1;
        choice.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = wanted ? shown + " of " + choices.length + " shown (ticked ones always are)." : "";
    }

    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      // Enter in a text box submits its form: here it would save the draft half done.
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  document.querySelectorAll("div.filterable-choices").forEach(addFilter);
})();
