/* The LEA picker: Enter in the search box searches (htmx swaps the results in) instead of
   submitting the form. Without this file, or without JavaScript, the Search button does it. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input || input.id !== "id_lea_q" || !window.htmx) {
      return;
    }
    event.preventDefault();
    window.htmx.trigger(input, "search");
  });
})();
