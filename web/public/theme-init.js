// Runs before the app bundle so the page never flashes the wrong theme: applies the theme the user
// chose with the toggle, or the system's (prefers-color-scheme) when there is no saved choice.
(function () {
  var t = null;
  try {
    t = localStorage.getItem('skyguard.theme');
  } catch (e) {
    /* storage unavailable: follow the system */
  }
  if (t !== 'light' && t !== 'dark')
    t = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.setAttribute('data-theme', t);
})();
