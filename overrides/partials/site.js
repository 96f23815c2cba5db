// Reading aids Material leaves out; runs on every page load.
(function () {
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0
  var FITTABLE = ".md-typeset__scrollwrap, .md-typeset .math"
  var SCROLLERS = FITTABLE + ", .md-typeset figure.diagram, .md-typeset figure.r1-chart"
  // A formula or table at most this much too wide is shrunk to fit; a wider one scrolls.
  var MIN_FIT = 0.8

  // Shrink display formulas and tables that are slightly too wide for their column: read
  // (`measure`) in one step, written (`shrink`) after every read of that step.
  function measure(x) {
    x.over = x.box.scrollWidth / x.box.clientWidth
    x.size = x.size || parseFloat(getComputedStyle(x.content).fontSize)
    x.base = x.base || x.size
    x.room = x.box.scrollWidth - x.box.clientWidth
    x.left = x.box.scrollLeft
  }
  function fits(x) { return x.over > 1.001 && x.size / x.over >= x.base * MIN_FIT }
  function shrink(x) {
    x.size = x.size / x.over * 0.985  // a little under: one step is then enough
    x.content.style.fontSize = x.size.toFixed(2) + "px"
  }

  // Fade the edge past which a scroll box has more to show; keyboard users can focus it.
  function cue(box, room, left) {
    if (room === undefined) { room = box.scrollWidth - box.clientWidth; left = box.scrollLeft }
    box.classList.toggle("r1-more-start", room > 1 && left > 1)
    box.classList.toggle("r1-more-end", room > 1 && left < room - 1)
    if (room > 1) box.tabIndex = 0
  }

  // A diagram shown smaller than drawn, or cut by its column, can be opened full screen,
  // where it is drawn at full size and the reader can pan and pinch-zoom.
  var dialog
  function enlarge(figure) {
    if (!dialog) {
      dialog = document.createElement("dialog")
      dialog.className = "r1-zoom-dialog"
      dialog.setAttribute("aria-label", zh ? "图表全屏查看" : "Diagram, full screen")
      dialog.innerHTML = '<button class="r1-zoom-close" type="button"></button><div class="r1-zoom-body"></div>'
      var close = dialog.querySelector(".r1-zoom-close")
      close.textContent = "×"
      close.setAttribute("aria-label", zh ? "关闭" : "Close")
      close.addEventListener("click", function () { dialog.close() })
      dialog.addEventListener("close", function () { dialog.querySelector(".r1-zoom-body").textContent = "" })
      document.body.appendChild(dialog)
    }
    var svg = figure.querySelector("svg").cloneNode(true)
    var width = svg.viewBox.baseVal && svg.viewBox.baseVal.width
    svg.style.width = Math.max(width * 1.25, Math.min(window.innerWidth - 32, width * 2)) + "px"
    svg.style.maxWidth = "none"
    svg.removeAttribute("height")
    dialog.querySelector(".r1-zoom-body").appendChild(svg)
    dialog.showModal()
  }

  function wantsZoom(figure) {
    var svg = figure.querySelector(":scope > svg")
    var native = svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width
    var shown = svg && svg.getBoundingClientRect().width
    return !!shown && !figure.querySelector(".r1-zoom") &&
      (figure.scrollWidth > figure.clientWidth + 1 || shown < native - 1)
  }
  function addZoom(figure) {
    var button = document.createElement("button")
    button.type = "button"
    button.className = "r1-zoom"
    button.textContent = zh ? "⤢ 全屏查看" : "⤢ View full screen"
    button.addEventListener("click", function () { enlarge(figure) })
    figure.appendChild(button)
  }

  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)) }

  // --- Progressive: a long page is drawn in parts -------------------------------------------
  // The hook groups a long article's sections into chunks (hooks/r1docs/progressive.py) that
  // the browser skips until they are shown; each step below shows the next few, so each
  // frame lays out one part of the page, never the whole of it. A chunk the reader scrolls to
  // first is drawn by the browser at once and shown in the next step. Every chunk is shown in
  // the end: Chromium leaves a skipped chunk's text out of the accessibility tree ("not
  // rendered"), so a screen reader would not reach it (tests/browser/test_progressive.py).
  //
  // Each step is a short task just after a frame, when the layout is fresh: it reads every
  // box it looks at, then writes. Measured in one task in the middle of Material's set-up,
  // the page was laid out three extra times (44 ms of 67 on /landscape/). <html
  // data-r1-layout> says "done" once every chunk is shown and every box fitted and cued.
  var CHUNK = ".md-typeset .r1-chunk"
  var SHOW_NODES = 20  // elements shown per frame: about one chunk (progressive.py, CHUNK_NODES)
  var hidden = []  // chunks not yet shown, in page order
  var drawn = []  // chunks the browser drew first (the reader got there): shown in the next step
  var fresh = []  // what was shown (or resized) before the last frame: to fit and cue
  var again = []  // formulas and tables shrunk in the last step: to check once more
  var queued = false, generation = 0
  // Opened at a heading (#id): parts above it change height as they are shown and fitted, so
  // keep the heading in view, as the browser itself does while the page loads, until the
  // reader scrolls.
  var target = null

  function afterFrame(step) { requestAnimationFrame(function () { setTimeout(step, 0) }) }
  function schedule() {
    if (queued) return
    queued = true
    document.documentElement.setAttribute("data-r1-layout", "busy")
    afterFrame(step)
  }
  function waiting(el) { var chunk = el.closest(CHUNK); return !!chunk && hidden.indexOf(chunk) >= 0 }
  function inside(root, selector) {
    return all(selector, root).filter(function (el) { return !waiting(el) })
  }
  function fittable(box) {
    var content = box.matches(".math") ? box.querySelector("math") : box.querySelector("table")
    return content && { box: box, content: content, rounds: 0, generation: generation }
  }
  function show(chunk) {
    hidden.splice(hidden.indexOf(chunk), 1)
    chunk.classList.add("r1-shown")
    fresh.push(chunk)
  }

  function step() {
    queued = false
    if (target) target.scrollIntoView()  // first: the layout is fresh, and a scroll keeps it so
    var roots = fresh.splice(0), checks = again.splice(0).filter(function (x) { return x.generation === generation })
    // Read: the boxes of what the last frame laid out, and the formulas shrunk before it.
    var items = [], boxes = [], figures = []
    roots.forEach(function (root) {
      items = items.concat(inside(root, FITTABLE).map(fittable).filter(Boolean))
      boxes = boxes.concat(inside(root, ".md-typeset figure.diagram, .md-typeset figure.r1-chart"))
      figures = figures.concat(inside(root, ".md-typeset figure.diagram").filter(wantsZoom))
    })
    var seen = []
    items = items.concat(checks).filter(function (x) {
      return seen.indexOf(x.box) < 0 && seen.push(x.box)
    })
    items.forEach(measure)
    var cues = boxes.map(function (box) {
      return { box: box, room: box.scrollWidth - box.clientWidth, left: box.scrollLeft }
    })
    // Write.
    items.forEach(function (x) {
      if (fits(x) && x.rounds++ < 3) { shrink(x); again.push(x) }
      else cue(x.box, x.room, x.left)
    })
    cues.forEach(function (x) { cue(x.box, x.room, x.left) })
    figures.forEach(addZoom)
    drawn.splice(0).forEach(show)
    for (var shown = 0; hidden.length && shown < SHOW_NODES;) {
      shown += hidden[0].getElementsByTagName("*").length
      show(hidden[0])
    }
    if (fresh.length || again.length) schedule()
    else {
      target = null
      document.documentElement.setAttribute("data-r1-layout", "done")
    }
  }

  // Fonts loaded or the window resized: unshrink what is shown and fit it again.
  function refit() {
    generation++
    all(".md-typeset .math > math, .md-typeset__scrollwrap table").forEach(function (content) {
      if (content.style.fontSize) content.style.fontSize = ""
    })
    fresh.push(document)
    schedule()
  }

  function stay() { target = null }
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, stay, { passive: true, capture: true })
  })

  function start() {
    hidden = all(CHUNK + ":not(.r1-shown)")
    try { target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))) }
    catch (error) { target = null }  // a malformed escape in the address
    hidden.forEach(function (chunk) {
      chunk.addEventListener("contentvisibilityautostatechange", function (event) {
        // Shown in the step's writes, not here: a class written between a frame and the
        // step would make the step's first read style the page again.
        if (!event.skipped && hidden.indexOf(chunk) >= 0 && drawn.indexOf(chunk) < 0) {
          drawn.push(chunk)
          schedule()
        }
      })
    })
    fresh.push(document)
    schedule()
    if (document.fonts && document.fonts.status !== "loaded") document.fonts.ready.then(refit)
    all(SCROLLERS).forEach(function (box) {
      box.addEventListener("scroll", function () { cue(box) }, { passive: true })
    })
    // The search overlay is a dialog; give it the name its input already shows.
    var search = document.querySelector(".md-search[role=dialog]")
    var input = document.querySelector(".md-search__input")
    if (search && input) search.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder)
  }
  document.addEventListener("DOMContentLoaded", start)  // inlined at the end of <body>: before it
  var pending
  window.addEventListener("resize", function () {
    clearTimeout(pending)
    pending = setTimeout(refit, 150)
  })
})()
