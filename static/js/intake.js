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

  document.querySelectorAll("[data-formset]").forEach(addAnother);
  document.querySelectorAll("form[data-preview-url]").forEach(previewForm);
  document.querySelectorAll("form[data-submit-once]").forEach(submitOnce);
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
