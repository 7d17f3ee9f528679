// sitrep serve: live reload and the problems overlay. Injected into pages
// by `sitrep serve` only; never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var events = new EventSource(script.getAttribute("data-events"));
  var overlay = null;

  function showProblems(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "sitrep-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
        "background:rgba(20,20,20,.96);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace;";
      var heading = document.createElement("p");
      heading.style.cssText = "font:bold 16px system-ui,sans-serif;color:#ff8a80;margin:0 0 1rem";
      heading.textContent = "sitrep: the site has problems. The last good version is still served; fix the file and this goes away.";
      var body = document.createElement("pre");
      body.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(heading);
      overlay.appendChild(body);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("sitrep-reload", String(Date.now()));
      links[i].href = url.toString();
    }
  }

  // Lets tests (and curious readers of the console) see the stream is up.
  window.sitrepLive = { connected: false };
  events.addEventListener("open", function () { window.sitrepLive.connected = true; });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", swapStylesheets);
  events.addEventListener("problems", function (e) { showProblems(e.data); });
  events.addEventListener("fixed", function () { location.reload(); });
})();
