// The phone offline (lde_portal/offline.py): registers the service worker, keeps the queue of what was saved
// without a network in IndexedDB (idb-keyval), sends it when the network is back or at the next page load,
// and shows the banner, the queue's count and the entries that need the user (a conflict, a refusal).
//
// The queue belongs to the user who typed it: every entry carries the user's id, a page shows and sends only
// its own user's entries (so a session that expired offline keeps them for that user's next login), and
// logging out asks before discarding any, then wipes the device's store and caches.
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.offlineUser || "";
  var status = document.getElementById("offline-status");
  if (!user || !status || !window.idbKeyval || !("indexedDB" in window)) { return; }
  var kv = window.idbKeyval;
  var queue = kv.createStore("lde-offline-queue", "entries");
  var meta = kv.createStore("lde-offline-meta", "meta");
  var sending = false;

  function text(name, n) { return (status.dataset[name] || "").replace("{n}", n); }

  function csrf() {
    try { return JSON.parse(body.dataset.hxHeaders)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function mine() {
    return kv.values(queue).then(function (entries) {
      return entries.filter(function (e) { return e.user === user; })
        .sort(function (a, b) { return a.created - b.created; });
    });
  }

  function render() {
    return mine().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "pending" || e.state === "login"; });
      var offline = !navigator.onLine;
      document.getElementById("offline-banner").hidden = !offline;
      var box = document.getElementById("offline-queue");
      box.hidden = !waiting.length;
      document.getElementById("offline-count").textContent = !waiting.length ? "" :
        waiting.length === 1 ? text("one", 1) : text("many", waiting.length);
      var login = document.getElementById("offline-login");
      login.hidden = !waiting.some(function (e) { return e.state === "login"; });
      login.textContent = text("login");
      var list = document.getElementById("offline-attention");
      list.replaceChildren();
      entries.filter(function (e) { return e.state === "conflict" || e.state === "refused"; }).forEach(function (e) {
        var item = document.createElement("li");
        item.className = "alert " + (e.state === "conflict" ? "alert-warning" : "alert-danger") + " mb-2";
        item.dataset.entry = e.key;
        var title = document.createElement("h2");
        title.className = "h6";
        title.textContent = e.label;
        item.appendChild(title);
        if (e.state === "conflict") {
          // The portal's own rendering of includes/conflicts.html and its two choices.
          var holder = document.createElement("div");
          holder.innerHTML = e.html;
          item.appendChild(holder);
        } else {
          var message = document.createElement("p");
          message.className = "mb-1";
          message.textContent = e.message;
          item.appendChild(message);
          var discard = document.createElement("button");
          discard.type = "button";
          discard.className = "btn btn-sm btn-outline-danger";
          discard.dataset.offlineChoice = "theirs";
          discard.textContent = text("discard");
          item.appendChild(discard);
        }
        list.appendChild(item);
      });
      status.hidden = !(offline || entries.length || !document.getElementById("offline-sent").hidden);
    });
  }

  function update(entry, changes) {
    return kv.update(entry.key, function (stored) {
      if (!stored || stored.id !== entry.id) { return stored; }  // replaced by a newer save meanwhile
      return Object.assign(stored, changes);
    }, queue);
  }

  function sendOne(entry) {
    var data = new FormData();
    Object.keys(entry.fields).forEach(function (name) { data.append(name, entry.fields[name]); });
    data.append("submission", entry.id);
    // No redirect is followed: after a time-out the portal answers with the login page, which says that
    // this user must log in again, not that the entry was refused.
    return fetch(entry.url, { method: "POST", body: data, credentials: "same-origin", redirect: "manual",
                              headers: { "X-CSRFToken": csrf(), "Accept": "application/json" } })
      .then(function (response) {
        // A server or proxy that fails is the network's trouble, not the entry's: it stays queued as it was.
        if (response.status >= 500) { throw new Error("not reached"); }
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!json) { return update(entry, { state: "login" }).then(function () { return 0; }); }
        return response.json().then(function (answer) {
          if (answer.status === "saved") {
            return kv.get(entry.key, queue).then(function (stored) {
              // A newer save of the same week made while this one was on its way waits for its own turn.
              return stored && stored.id === entry.id ? kv.del(entry.key, queue) : null;
            }).then(function () { return 1; });
          }
          if (answer.status === "conflict") {
            return update(entry, { state: "conflict", html: answer.html, current: answer.version })
              .then(function () { return 0; });
          }
          return update(entry, { state: "refused", message: answer.message }).then(function () { return 0; });
        });
      });
  }

  function showSent(sent) {
    var note = document.getElementById("offline-sent");
    note.textContent = text("sent", sent);
    note.hidden = false;
  }

  function send() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    var sent = 0;
    return mine().then(function (entries) {
      var todo = entries.filter(function (e) { return e.state === "pending" || e.state === "login"; });
      return todo.reduce(function (chain, entry) {
        return chain.then(function () { return sendOne(entry); }).then(function (n) { sent += n; });
      }, Promise.resolve());
    }).catch(function () {
      return null;  // the network went again: what is left stays queued for the next try
    }).then(function () {
      sending = false;
      if (sent) {
        showSent(sent);
        // A page that opened from the phone shows the week as it was: it may load again to show what is
        // stored now (pop.js does for the team screen), and this note comes back after the load.
        window.sessionStorage.setItem("offline-sent", String(sent));
        document.dispatchEvent(new CustomEvent("offline:sent", { detail: { sent: sent } }));
      }
      return render();
    });
  }

  // `entries`: [{key, label, url, fields}], one per worker's week; a second save of the same week replaces
  // the first while it waits, with a new submission id.
  function enqueue(entries) {
    var now = Date.now();
    return kv.setMany(entries.map(function (e, i) {
      var key = user + "|" + e.key;
      return [key, { key: key, id: window.crypto.randomUUID(), user: user, label: e.label, url: e.url,
                     fields: e.fields, state: "pending", created: now + i }];
    }), queue).then(render).then(send);
  }

  function choose(button) {
    var item = button.closest("[data-entry]");
    var key = item && item.dataset.entry;
    if (!key) { return; }
    kv.get(key, queue).then(function (entry) {
      if (!entry) { return null; }
      if (button.dataset.offlineChoice === "theirs") { return kv.del(key, queue); }
      // "Keep my version": sent again on top of the version now stored, which the coach has just seen.
      var fields = Object.assign({}, entry.fields);
      Object.keys(fields).forEach(function (name) {
        if (/^w\d+-version$/.test(name)) { fields[name] = String(entry.current); }
      });
      return update(entry, { fields: fields, state: "pending", html: "" });
    }).then(render).then(send);
  }

  function wipe() {
    var stores = [kv.clear(queue), kv.clear(meta)];
    if (window.caches) {
      stores.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }));
    }
    return Promise.all(stores);
  }

  // Another user's pages must not open on this phone: the kept pages are dropped when the user changes.
  function claimDevice() {
    return kv.get("owner", meta).then(function (owner) {
      if (owner === user) { return null; }
      var drop = window.caches ? caches.delete("lde-pages") : Promise.resolve();
      return drop.then(function () { return kv.set("owner", user, meta); });
    });
  }

  function warm(registration) {
    var worker = navigator.serviceWorker.controller || (registration && registration.active);
    if (!worker) { return; }
    var urls = [];
    if (!navigator.serviceWorker.controller) {
      // This page loaded before the worker ran: keep it and its files now.
      urls.push(window.location.href);
      document.querySelectorAll("link[rel=stylesheet], script[src], link[rel=icon]").forEach(function (el) {
        urls.push(el.href || el.src);
      });
    }
    var named = document.getElementById("offline-warm");
    if (named) { urls = urls.concat(JSON.parse(named.textContent)); }
    if (urls.length) { worker.postMessage({ type: "warm", urls: urls }); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-offline-choice]");
    if (button) { choose(button); }
  });

  document.querySelectorAll("form[data-offline-logout]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      kv.values(queue).then(function (entries) {
        var unsent = entries.length;
        if (unsent && !window.confirm(text("logout", unsent))) { return; }
        wipe().then(function () { form.submit(); }, function () { form.submit(); });
      });
    });
  });

  window.addEventListener("online", function () { send(); });
  window.addEventListener("offline", render);

  window.portalOffline = { enqueue: enqueue, send: send, user: user };

  var shown = window.sessionStorage.getItem("offline-sent");
  if (shown) {
    window.sessionStorage.removeItem("offline-sent");
    showSent(shown);
  }

  claimDevice().then(function () {
    if ("serviceWorker" in navigator && body.dataset.sw) {
      navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(warm).catch(function () { return null; });
    }
    return render();
  }).then(send);
})();
