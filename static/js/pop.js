// POP pages: the signature pad of the yearly review, and the print button of the plain-language view.
// Loaded with <script src defer>; no inline handlers (Content-Security-Policy).
(function () {
  "use strict";

  function setupSignature(canvas) {
    var field = document.getElementById(canvas.dataset.target);
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    function resize() {
      var ratio = window.devicePixelRatio || 1;
      var rect = canvas.getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(rect.width * ratio));
      canvas.height = Math.max(1, Math.round(rect.height * ratio));
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      drawn = false;
      field.value = "";
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
      event.preventDefault();
    });
    function stop() {
      if (drawing && drawn) { field.value = canvas.toDataURL("image/png"); }
      drawing = false;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);

    var clear = document.querySelector("[data-signature-clear='" + canvas.id + "']");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        field.value = "";
      });
    }
    resize();
  }

  document.querySelectorAll("canvas[data-signature]").forEach(setupSignature);

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Ask before leaving the team screen with unsaved changes (a bell, a wrong tap).
  // Every 30 seconds the changed screen is also saved as the server-side draft, which keeps the
  // session alive too: a bell, a wrong tap or an idle time-out loses nothing.
  var form = document.querySelector("form.fb-form");
  if (form) {
    var dirty = false;
    var submitting = false;
    var markDirty = function () { dirty = true; };
    form.addEventListener("change", markDirty);
    form.addEventListener("input", markDirty);
    form.addEventListener("submit", function () { submitting = true; });

    // Enter in a text field would submit the whole team screen half-filled (implicit submission):
    // only the buttons submit it.
    form.addEventListener("keydown", function (event) {
      var el = event.target;
      if (event.key === "Enter" && el.tagName === "INPUT" && el.type !== "submit" && el.type !== "button") {
        event.preventDefault();
      }
    });

    // The chosen level's descriptor, under the buttons: 1–4 mean something per competence.
    form.addEventListener("change", function (event) {
      var el = event.target;
      if (el.type !== "radio" || !el.hasAttribute("data-hint")) { return; }
      var hint = document.getElementById(el.name + "-hint");
      if (hint) { hint.textContent = el.getAttribute("data-hint"); }
    });

    // After a refused save the page opens on the first field to correct (a rating group: its checked
    // button, else its first).
    var invalid = form.querySelector("[aria-invalid='true']");
    if (invalid) {
      var target = invalid;
      if (invalid.getAttribute("role") === "radiogroup") {
        target = invalid.querySelector("input:checked") || invalid.querySelector("input");
      }
      if (target) { target.focus(); }
    }
    // Without a network (issue #21) "Save" keeps the screen's rows on the phone, one entry per worker with
    // the version of the week the screen showed (static/js/offline.js sends them when the network is back).
    // A row goes in when it was changed, or filled in and not yet saved (a draft's row).
    form.addEventListener("submit", function (event) {
      if (navigator.onLine || !window.portalOffline) { return; }
      event.preventDefault();
      submitting = false;
      var note = document.getElementById("offline-saved-note");
      if (event.submitter && event.submitter.name === "save_draft") {
        note.textContent = note.dataset.draft;
        note.hidden = false;
        return;
      }
      // A select whose HTML marks no option shows its first one, and no option is defaultSelected: comparing
      // each option's selected with defaultSelected would call every untouched row of the screen changed.
      var initialIndex = function (select) {
        var index = 0;
        Array.prototype.forEach.call(select.options, function (o, i) { if (o.defaultSelected) { index = i; } });
        return index;
      };
      var week = form.elements.week.value;
      var url = form.dataset.offlineUrl;
      var entries = [];
      var fields = form.querySelectorAll("fieldset.fb-row[data-worker]");
      fields.forEach(function (row) {
        var values = { week: week, worker: row.dataset.worker };
        var changed = false;
        var presence = "";
        row.querySelectorAll("input[name], select[name]").forEach(function (el) {
          if (el.type === "radio" || el.type === "checkbox") {
            if (el.checked) { values[el.name] = el.value; }
            changed = changed || el.checked !== el.defaultChecked;
          } else if (el.tagName === "SELECT") {
            values[el.name] = el.value;
            changed = changed || el.selectedIndex !== initialIndex(el);
            if (/-presence$/.test(el.name)) { presence = el.value; }
          } else {
            values[el.name] = el.value;
            changed = changed || (el.type !== "hidden" && el.value !== el.defaultValue);
          }
        });
        if (changed || (presence && !row.classList.contains("fb-filled"))) {
          entries.push({ key: url + "|" + week + "|" + row.dataset.worker, label: row.dataset.name + " · " + week,
                         url: url, fields: values });
        }
      });
      window.portalOffline.enqueue(entries).then(function () {
        // What is queued is the screen's new starting point: a second Save queues only what changes after.
        form.querySelectorAll("input[name], select[name]").forEach(function (el) {
          if (el.tagName === "SELECT") {
            Array.prototype.forEach.call(el.options, function (o) { o.defaultSelected = o.selected; });
          } else if (el.type === "radio" || el.type === "checkbox") {
            el.defaultChecked = el.checked;
          } else { el.defaultValue = el.value; }
        });
        dirty = false;
        note.textContent = note.dataset.saved;
        note.hidden = false;
        // The count of what waits stands above the screen, where an online save shows its message too.
        var status = document.getElementById("offline-status");
        if (status) { status.scrollIntoView(); }
      });
    });

    // Weeks sent from the queue: show the screen as stored now, unless the coach is typing in it.
    document.addEventListener("offline:sent", function () {
      if (!dirty) { window.location.reload(); }
    });

    window.setInterval(function () {
      if (!dirty || submitting || !navigator.onLine) { return; }
      dirty = false;
      var data = new FormData(form);
      data.append("save_draft", "1");
      fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin",
                                     headers: { "X-Autosave": "1" } }).then(function (response) {
        if (response.status === 204) {
          var note = document.getElementById("autosave-note");
          if (note) { note.hidden = false; }
        } else { dirty = true; }
      }).catch(function () { dirty = true; });
    }, 30000);
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) { event.preventDefault(); event.returnValue = "unsaved"; }
    });
  }
})();
