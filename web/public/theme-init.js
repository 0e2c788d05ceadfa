// Runs before the app bundle: applies an explicit theme choice saved by the toggle so the page does
// not flash the wrong theme. Without a saved choice the CSS follows prefers-color-scheme.
(function () {
  try {
    var t = localStorage.getItem('skyguard.theme');
    if (t === 'light' || t === 'dark') document.documentElement.setAttribute('data-theme', t);
  } catch (e) {
    /* storage unavailable: follow the system */
  }
})();
