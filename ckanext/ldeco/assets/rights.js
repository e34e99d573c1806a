// The request-access form re-checks the handshake as the officer changes it,
// so each element shows met / not met without pressing "Check". The server
// renders the same table either way; without JavaScript the button does it.
(function () {
  "use strict";
  var form = document.getElementById("ldeco-request-form");
  if (!form || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = 0;

  function refresh() {
    var data = new FormData(form);
    data.set("action", "check");
    var mine = ++asked;
    fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== asked) {
          return; // a later change is already on its way
        }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("ldeco-evaluation");
        var here = document.getElementById("ldeco-evaluation");
        if (fresh && here) {
          here.replaceWith(fresh);
        }
        var theirs = doc.querySelector("button[value=submit]");
        var button = form.querySelector("button[value=submit]");
        if (theirs && button) {
          button.disabled = theirs.disabled;
        }
      })
      .catch(function () { /* the Check button still works */ });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();
