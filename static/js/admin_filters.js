// The reviewers' changelist: a long filter (counties, pathways) is one select instead of a list
// of links. Without scripts the links stay; with them, the select shows and follows its choice.
// Loaded in the page's head (the admin's media), so it waits for the document.
(function () {
  "use strict";
  function enhance() {
    document.querySelectorAll(".changelist-filter-dropdown").forEach(function (box) {
      var select = box.querySelector(".admin-filter-select");
      var links = box.querySelector(".admin-filter-links");
      if (!select || !links) {
        return;
      }
      select.hidden = false;
      links.hidden = true;
      select.addEventListener("change", function () {
        window.location.search = select.value.replace(/^\?/, "");
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
