/* Intake pages: live eligibility preview, submit-once buttons, focus on the error summary.
   Everything here is an enhancement: without JavaScript the forms post and the preview updates
   when the section is saved. */
(function () {
  "use strict";

  function previewForm(form) {
    var url = form.getAttribute("data-preview-url");
    var target = document.getElementById(form.getAttribute("data-preview-target"));
    if (!url || !target) {
      return;
    }
    var pending = null;
    function refresh() {
      var data = new FormData(form);
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        data.delete(input.name);
      });
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        signal: pending.signal,
      })
        .then(function (response) {
          // A redirect means the session ended: leave the preview as it was.
          if (!response.ok || response.redirected) {
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html !== null) {
            target.innerHTML = html;
          }
        })
        .catch(function () {
          /* An aborted or failed preview keeps the last one; saving still updates it. */
        });
    }
    // Typing updates the preview once the person pauses (debounced); a box checked or a date
    // picked updates it at once.
    var timer = null;
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    }
    form.addEventListener("input", function (event) {
      if (event.target && event.target.type !== "file") {
        later();
      }
    });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.type !== "file") {
        window.clearTimeout(timer);
        refresh();
      }
    });
  }

  function submitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-submitted") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-submitted", "true");
      // Disabled after this tick, so that the button's own name and value are still posted.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-disabled", "true");
          if (button.getAttribute("data-busy-text")) {
            button.textContent = button.getAttribute("data-busy-text");
          }
        });
      }, 0);
    });
  }

  // "Add another": without JavaScript, saving the section brings two new empty rows instead.
  function addAnother(container) {
    var prefix = container.getAttribute("data-formset");
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var rows = container.querySelectorAll("[data-formset-row]");
    if (!total || rows.length === 0) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary mb-3";
    button.textContent = container.getAttribute("data-add-label");
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var last = container.querySelectorAll("[data-formset-row]");
      var row = last[last.length - 1].cloneNode(true);
      var pattern = new RegExp(prefix + "-\\d+-", "g");
      var fresh = prefix + "-" + index + "-";
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          if (el.hasAttribute(attr)) {
            el.setAttribute(attr, el.getAttribute(attr).replace(pattern, fresh));
          }
        });
      });
      row.querySelectorAll("input, textarea").forEach(function (input) {
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.classList.remove("is-invalid");
      });
      row.querySelectorAll(".invalid-feedback").forEach(function (el) {
        el.remove();
      });
      row.querySelector("[data-row-number]").textContent = String(index + 1);
      last[last.length - 1].after(row);
      total.value = String(index + 1);
      row.querySelector("input").focus();
    });
    container.appendChild(button);
  }

  // Schools in scope: search the LEA's schools and add the one chosen as a line of the field
  // (CDS code, then name). Without scripts the search stays hidden and the field takes codes.
  function schoolSearch(box) {
    var input = box.querySelector("input[type=search]");
    var results = box.querySelector("#school-results");
    var field = document.getElementById(box.getAttribute("data-target"));
    if (!input || !results || !field) {
      return;
    }
    box.hidden = false;
    var timer = null;
    var pending = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (pending) {
          pending.abort();
        }
        pending = new AbortController();
        var url = box.getAttribute("data-url") + "?q=" + encodeURIComponent(input.value);
        fetch(url, { credentials: "same-origin", signal: pending.signal })
          .then(function (response) {
            return response.ok && !response.redirected ? response.text() : null;
          })
          .then(function (html) {
            if (html !== null) {
              results.innerHTML = html;
            }
          })
          .catch(function () {});
      }, 250);
    });
    results.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-school]");
      if (!button) {
        return;
      }
      var code = button.getAttribute("data-add-school");
      if (field.value.indexOf(code) === -1) {
        var line = code + " — " + button.getAttribute("data-school-name");
        field.value = field.value.trim() ? field.value.trim() + "\n" + line : line;
      }
      button.disabled = true;
      button.textContent = "Added";
    });
  }

  document.querySelectorAll("[data-school-search]").forEach(schoolSearch);
  document.querySelectorAll("[data-formset]").forEach(addAnother);
  document.querySelectorAll("form[data-preview-url]").forEach(previewForm);
  document.querySelectorAll("form[data-submit-once]").forEach(submitOnce);
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
