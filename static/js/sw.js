// The portal's service worker (lde_portal/offline.py, served at /sw.js). Hand-written rather than Workbox:
// it has two caching rules and a warm-up message, fewer lines than Workbox's configuration and loader.
//
// - A page is kept only when the portal marked its response with X-Portal-Offline: cache (the views that opt
//   in with lde_portal.offline.offline_page). Pages are fetched from the network first; the kept copy is
//   served only when there is no network. Every other page is never written to the device, whatever its URL.
// - Static files (/static/) are served from the cache and refreshed in the background.
"use strict";

var PAGES = "lde-pages";
var STATIC = "lde-static-v1";
var MARK = "X-Portal-Offline";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("lde-static-") === 0 && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(request, response) {
  // A redirect (to the login page after a time-out) or a refusal is never kept in place of the page.
  if (response.ok && !response.redirected && response.headers.get(MARK) === "cache") {
    var copy = response.clone();
    return caches.open(PAGES).then(function (cache) { return cache.put(request, copy); }).then(function () {
      return response;
    });
  }
  return caches.open(PAGES).then(function (cache) { return cache.delete(request); }).then(function () {
    return response;
  });
}

function page(request) {
  return fetch(request).then(function (response) {
    return keep(request.url, response);
  }, function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(request.url); }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function asset(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (hit) {
        fresh.catch(function () { return null; });
        return hit;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

// The page asks to keep what the coach may open offline (static/js/offline.js): its own assets, and the
// pages it names. Each is fetched like a visit, so the same mark decides.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "warm" || !Array.isArray(data.urls)) { return; }
  event.waitUntil(Promise.all(data.urls.map(function (raw) {
    var url = new URL(raw, self.location.origin);
    if (url.origin !== self.location.origin) { return null; }
    if (url.pathname.indexOf("/static/") === 0) {
      return asset(new Request(url.href)).catch(function () { return null; });
    }
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      return keep(url.href, response);
    }).catch(function () { return null; });
  })));
});
