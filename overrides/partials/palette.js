// Light and dark palette (inlined by overrides/partials/palette.html, right after the form).
(function () {
  var form = document.currentScript.previousElementSibling
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"))
  if (!inputs.length) return
  var KEYS = ["media", "scheme", "primary", "accent"]

  function systemChoice() {
    var i = inputs.findIndex(function (input) { return matchMedia(input.getAttribute("data-md-color-media")).matches })
    return Math.max(0, i)
  }

  function show(i, store) {
    var color = {}
    KEYS.forEach(function (key) {
      color[key] = inputs[i].getAttribute("data-md-color-" + key)
      document.body.setAttribute("data-md-color-" + key, color[key])
    })
    inputs[i].checked = true
    inputs.forEach(function (input, j) {
      var label = input.nextElementSibling
      if (label && label.tagName === "LABEL") label.hidden = j !== i
    })
    if (store) __md_set("__palette", { index: i, color: color })
  }

  // The browser bar takes the header's colour; read once the page is laid out (free then).
  var themeColor = document.createElement("meta")
  themeColor.name = "theme-color"
  document.head.appendChild(themeColor)
  function tintBrowserBar() {
    var header = document.querySelector("header")
    var rgb = header && getComputedStyle(header).backgroundColor.match(/\d+/g)
    if (rgb) themeColor.content = "#" + rgb.slice(0, 3).map(function (c) { return (+c).toString(16).padStart(2, "0") }).join("")
  }

  // A reader's own choice is kept (Material's storage, so its head script applies it early);
  // without one the page follows the system setting, also when it changes.
  var stored = __md_get("__palette")
  var chosen = stored && typeof stored.index === "number" && stored.index < inputs.length
  show(chosen ? stored.index : systemChoice(), false)
  addEventListener("load", function () {
    (window.requestIdleCallback || setTimeout)(tintBrowserBar)
  })
  inputs.forEach(function (input) {
    matchMedia(input.getAttribute("data-md-color-media")).addEventListener("change", function () {
      if (!chosen) { show(systemChoice(), false); tintBrowserBar() }
    })
  })

  // Switching: no colour transitions while the whole page restyles (Material's CSS hook).
  form.addEventListener("change", function (event) {
    var i = inputs.indexOf(event.target)
    if (i < 0) return
    chosen = true
    document.body.setAttribute("data-md-color-switching", "")
    show(i, true)
    requestAnimationFrame(function () {
      tintBrowserBar()
      document.body.removeAttribute("data-md-color-switching")
    })
  })
  // As in Material: Enter on the focused option moves to the next one.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return
    var next = inputs[(inputs.findIndex(function (input) { return input.checked }) + 1) % inputs.length]
    event.preventDefault()
    next.click()
    next.focus()
  })
})()
