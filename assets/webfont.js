// Pretendard without slowing a first visit (the "stored flag" pattern of Filament Group's
// "Font Loading Revisited"). A first visit renders in the system Korean font; once the page has
// loaded, the font files this page's text needs are fetched into the HTTP cache and a flag is
// stored. Later page loads see the flag (inline script in the head, yongin_app.py) and use
// Pretendard from the start; font-display: optional keeps it from ever swapping in and shifting text.
(function () {
  var FLAG = "yongin-webfont";
  function warm() {
    try {
      if (localStorage.getItem(FLAG)) return;
      var connection = navigator.connection;
      if (connection && connection.saveData) return;  // the user asked for less data
      var text = (document.body.innerText || "").slice(0, 4000) + "0123456789";
      document.fonts.load('1em "Pretendard Variable"', text).then(function (faces) {
        if (faces.length) localStorage.setItem(FLAG, "1");
      }, function () {});
    } catch (error) { /* no storage, no Font Loading API: the system font stays */ }
  }
  if (document.readyState === "complete") warm();
  else addEventListener("load", warm);
})();
