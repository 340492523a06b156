/* fluorohip-a11y: a prebuilt JupyterLab 4 / Voila 0.5 extension, written by hand (no webpack).
 *
 * Why it exists: ipywidgets 8 draws sliders with noUiSlider, whose handle (role="slider") gets no
 * accessible name; a screen reader announces "slider" with no hint which one (axe-core:
 * aria-input-field-name, serious). The widget's description label is not tied to the handle and
 * no widget trait reaches it. This extension watches the page and:
 *   - gives each slider handle aria-label = its widget's description (or tooltip);
 *   - gives each ipywidgets Image without alt the text of its tooltip (title) as alt;
 *   - underlines links in rendered Markdown, HTML outputs and widgets (CSS), so links do not
 *     rely on colour alone (axe-core: link-in-text-block, serious in Voila).
 *
 * Format: a module-federation container as JupyterLab loads it (window._JUPYTERLAB[name] with
 * get/init); './extension' resolves to a module whose default export is the plugin. The plugin
 * imports nothing, so it shares no modules and needs no build.
 */
var _JUPYTERLAB = window._JUPYTERLAB = window._JUPYTERLAB || {};
(function () {
  "use strict";
  var STYLE_ID = "fluorohip-a11y-style";
  // !important: JupyterLab's theme sets `.jp-RenderedHTMLCommon a:link {text-decoration: none}`,
  // which is more specific than a plain selector.
  var CSS = [
    ".jp-RenderedHTMLCommon a, .jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited,",
    ".jp-OutputArea-output a, .widget-html-content a, .widget-htmlmath-content a {",
    "  text-decoration: underline !important; text-underline-offset: 2px; }",
  ].join("\n");

  function nameOf(view) {
    if (!view) return "";
    var label = view.querySelector(":scope > .widget-label, :scope > label");
    var text = label ? (label.textContent || "").trim() : "";
    return text || (view.getAttribute("title") || "").trim();
  }

  function fix(root) {
    var handles = root.querySelectorAll ? root.querySelectorAll(".noUi-handle") : [];
    for (var i = 0; i < handles.length; i++) {
      var h = handles[i];
      var view = h.closest(".widget-slider, .jupyter-widgets");
      var name = nameOf(view);
      // No description: no made-up name, so the accessibility test still flags the slider.
      if (name && h.getAttribute("aria-label") !== name) h.setAttribute("aria-label", name);
    }
    var imgs = root.querySelectorAll ? root.querySelectorAll("img.widget-image") : [];
    for (var j = 0; j < imgs.length; j++) {
      var img = imgs[j];
      var title = (img.getAttribute("title") || "").trim();
      if (title && img.getAttribute("alt") !== title) img.setAttribute("alt", title);
    }
  }

  function start() {
    if (!document.getElementById(STYLE_ID)) {
      var style = document.createElement("style");
      style.id = STYLE_ID;
      style.textContent = CSS;
      document.head.appendChild(style);
    }
    fix(document);
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      // batch bursts of DOM changes (a widget render touches many nodes) into one pass
      (window.requestAnimationFrame || setTimeout)(function () { pending = false; fix(document); });
    }).observe(document.body, {childList: true, subtree: true, attributes: true,
                               attributeFilter: ["title", "src"]});
  }

  var plugin = {
    id: "fluorohip-a11y:plugin",
    description: "Accessible names for ipywidgets slider handles and images; underlined links.",
    autoStart: true,
    activate: function () {
      if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
    }
  };
  var modules = {"./extension": function () { return {__esModule: true, default: [plugin]}; }};
  _JUPYTERLAB["fluorohip-a11y"] = {
    get: function (name) {
      return modules[name] ? Promise.resolve(modules[name])
        : Promise.reject(new Error('Module "' + name + '" does not exist in container.'));
    },
    init: function () { return Promise.resolve(); }
  };
})();
