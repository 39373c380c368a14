// Idle-timeout warning (KWCAG 6.2.1): shows #idle-warning five minutes before the server ends
// the session, and leaves for the login page when it has ended. The server tells the seconds left
// (data-seconds-left) and changes data-stamp whenever it refreshes them; no clock sync needed.
(function () {
  var WARN_BEFORE_MS = 5 * 60 * 1000;
  var lastStamp = null;
  var deadline = null;
  function format(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(s / 60) + "분 " + (s % 60) + "초";
  }
  function tick() {
    var box = document.getElementById("idle-warning");
    if (!box) { lastStamp = null; deadline = null; return; }
    var stamp = box.getAttribute("data-stamp");
    if (stamp !== lastStamp) {
      lastStamp = stamp;
      deadline = Date.now() + Number(box.getAttribute("data-seconds-left") || 0) * 1000;
    }
    var left = deadline - Date.now();
    if (left <= 0) {
      window.location.assign("/login?reason=expired");
      return;
    }
    var show = left <= WARN_BEFORE_MS;
    if ((box.getAttribute("data-visible") === "true") !== show) {
      box.setAttribute("data-visible", show ? "true" : "false");
      if (show) { var button = box.querySelector("button"); if (button) button.focus(); }
    }
    var remaining = document.getElementById("idle-remaining");
    if (show && remaining) remaining.textContent = format(left);
  }
  setInterval(tick, 1000);
})();
