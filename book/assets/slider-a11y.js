// Sliders a screen reader can use.
//
// The ipywidgets HTML manager draws a slider (nnlib.interactive.precomputed_slider) as a
// noUiSlider whose handle (role="slider") has no accessible name, and which announces its
// index ("3") instead of the value the slider shows next to it ("0.02"). Give each handle the
// slider's label as its name ("learning rate α") and the shown value as its value text
// ("learning rate α = 0.02"), and keep that text up to date when the slider moves.
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.trim() : "";
  }

  function label(slider) {
    var handle = slider.querySelector(".noUi-handle");
    if (!handle || handle.hasAttribute("data-nnfs-labelled")) {
      return;
    }
    handle.setAttribute("data-nnfs-labelled", "");
    var name = text(slider.querySelector(".widget-label"));
    var readout = slider.querySelector(".widget-readout");
    if (name) {
      handle.setAttribute("aria-label", name);
    }
    function announce() {
      var value = text(readout);
      var wanted = name ? name + " = " + value : value;
      if (handle.getAttribute("aria-valuetext") !== wanted) {
        handle.setAttribute("aria-valuetext", wanted);
      }
    }
    announce();
    // The readout changes when the slider moves; noUiSlider rewrites aria-valuetext then too.
    if (readout) {
      new MutationObserver(announce).observe(readout,
        { childList: true, characterData: true, subtree: true });
    }
    new MutationObserver(announce).observe(handle,
      { attributes: true, attributeFilter: ["aria-valuetext"] });
  }

  function labelAll() {
    document.querySelectorAll(".widget-slider").forEach(label);
  }

  // The widgets are drawn after the page loads, whenever the HTML manager gets to them.
  function start() {
    labelAll();
    new MutationObserver(labelAll).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
