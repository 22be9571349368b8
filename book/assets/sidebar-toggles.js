// The menu and "Contents" buttons, on every page and at every width.
//
// pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 each bind their sidebar handlers with
// document.querySelector(".primary-toggle") and (".secondary-toggle"): to the FIRST such button
// in the page. pydata-sphinx-theme 0.17 added a copy of each button to its top navbar, before
// the article header's, and this book's layout hides that copy. So the buttons a learner sees
// and taps did nothing: on a phone, the chapter list and the page's contents could not be opened
// at all (pydata-sphinx-theme issue #2451; a newer sphinx-book-theme needs Sphinx 8, which
// Jupyter Book 1 cannot use).
//
// The fix: a click on any other copy of a button is handed to the first copy, which carries both
// themes' handlers (a dialog on narrow screens; collapsing the sidebar on wide ones).
(function () {
  "use strict";

  function handOver(selector) {
    var buttons = document.querySelectorAll(selector);
    var wired = buttons[0];
    Array.prototype.slice.call(buttons, 1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        wired.click();
      });
    });
  }

  function fix() {
    handOver(".primary-toggle");
    handOver(".secondary-toggle");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
