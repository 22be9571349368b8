// Loaded between require.js and the ipywidgets HTML manager (embed-amd.js); see offline_assets.py.
(function () {
  // 1. Where the HTML manager's font files are. It looks for them next to the address RequireJS
  //    gives its module "@jupyter-widgets/html-manager/dist/libembed-amd". Without this, that
  //    address is relative to the *page* (chapters/@jupyter-widgets/...), which does not exist,
  //    and the fonts 404. The files live next to this script, in html-manager/ (offline build),
  //    or at the CDN address given in data-html-manager (fallback build).
  var script = document.currentScript;
  var base = script.getAttribute("data-html-manager") ||
             script.src.replace(/[^\/]*$/, "") + "html-manager";
  if (window.require && window.require.config) {  // RequireJS itself may have failed to load
    window.require.config({ paths: { "@jupyter-widgets/html-manager/dist": base } });
  }

  // 2. The widgets typeset their labels with the MathJax 2 call MathJax.Hub.Queue, which does
  //    not exist in MathJax 3 (the book's): every slider label would throw "Cannot read
  //    properties of undefined (reading 'Queue')". Give them a MathJax 3 equivalent. MathJax
  //    is loaded with `defer`, so it exists by DOMContentLoaded, and this listener is added
  //    before the HTML manager's, so it runs before any widget is drawn.
  document.addEventListener("DOMContentLoaded", function () {
    var MJ = window.MathJax;
    if (!MJ || MJ.Hub) return;
    MJ.Hub = {
      Queue: function (job) {
        var element = job && job[2];
        var ready = (MJ.startup && MJ.startup.promise) || Promise.resolve();
        ready.then(function () {
          if (MJ.typesetPromise) return MJ.typesetPromise(element ? [element] : undefined);
        });
      }
    };
  });
})();
