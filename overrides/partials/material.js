// Material's bundle, loaded on the reader's first interaction (inlined by overrides/main.html).
//
// Why: evaluating the bundle and its set-up at DOMContentLoaded are the page's longest tasks
// after the first layout, on every page, and nothing the reader sees on arrival needs them.
// The page is complete HTML without it: links, the table of contents, the navigation drawer
// (a checkbox), the palette (palette.js), the language switcher, the reading aids (site.js).
// What the bundle adds starts with the first touch, scroll, key, pointer move or focus: search
// (and the search index, early.js), the table of contents following the reader, the copy
// buttons on code, back to top, keyboard shortcuts. The first key is handed to it again once it
// has started, so a shortcut pressed on arrival ("/" for search) is not lost. The figures are
// in the README ("Speed and weight").
(function () {
  var src = document.currentScript.getAttribute("data-bundle")
  var TRIGGERS = ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll", "focusin"]

  function listen(on) {
    TRIGGERS.forEach(function (type) {
      (on ? addEventListener : removeEventListener)(type, load, { capture: true, passive: true })
    })
  }

  function editable(el) {
    return !!el && el.nodeType === 1 && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))
  }

  // Material focuses the search box when the header's search icon is clicked, inside the click,
  // since a phone brings up its keyboard only for a focus the reader's gesture made. A tap there
  // is often the first interaction, before the bundle has started: this does it then (once
  // started, the bundle does the same, which changes nothing).
  var icon = document.querySelector("header [for=__search]")
  var box = document.querySelector(".md-search__input")
  if (icon && box) icon.addEventListener("click", function () { box.focus() })

  function load(event) {
    listen(false)
    var key = event.type === "keydown" && !event.isComposing && !editable(event.target) ? event : null
    var script = document.createElement("script")
    script.src = src
    script.onload = function () {
      // The bundle starts on DOMContentLoaded; loaded after it, it is started the way its own
      // instant navigation starts a page.
      var started = false
      document$.subscribe(function () { started = true }).unsubscribe()
      if (!started && document.readyState !== "loading") document$.next(document)
      if (key) {
        key.target.dispatchEvent(new KeyboardEvent("keydown", {
          key: key.key, code: key.code, shiftKey: key.shiftKey, altKey: key.altKey,
          ctrlKey: key.ctrlKey, metaKey: key.metaKey, bubbles: true, cancelable: true,
        }))
      }
    }
    // Offline or a failed request: the page stays as it is, and the next interaction tries again.
    script.onerror = function () { script.remove(); listen(true) }
    document.body.appendChild(script)
  }

  listen(true)
})()
