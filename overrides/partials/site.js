// Reading aids Material leaves out; runs on every page load.
(function () {
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0
  var FITTABLE = ".md-typeset__scrollwrap, .md-typeset .math"
  var SCROLLERS = FITTABLE + ", .md-typeset figure.diagram, .md-typeset figure.r1-chart"
  // A formula or table at most this much too wide is shrunk to fit; a wider one scrolls.
  var MIN_FIT = 0.8

  // Shrink display formulas and tables that are slightly too wide for their column. One step
  // reads every box, then writes the sizes it found; the next step runs after the browser
  // has laid the page out again, so no read forces a layout of its own.
  function fitStep(items) {
    items.forEach(function (x) {
      x.over = x.box.scrollWidth / x.box.clientWidth
      x.size = x.size || parseFloat(getComputedStyle(x.content).fontSize)
      x.base = x.base || x.size
    })
    items = items.filter(function (x) { return x.over > 1.001 && x.size / x.over >= x.base * MIN_FIT })
    items.forEach(function (x) {
      x.size = x.size / x.over * 0.985  // a little under: one step is then enough
      x.content.style.fontSize = x.size.toFixed(2) + "px"
    })
    return items
  }

  // Fade the edge past which a scroll box has more to show; keyboard users can focus it.
  function cueAll(boxes) {
    boxes.map(function (box) {
      return { box: box, room: box.scrollWidth - box.clientWidth, left: box.scrollLeft }
    }).forEach(function (x) { cue(x.box, x.room, x.left) })
  }

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

  function zoomButtons(figures) {
    figures.map(function (figure) {
      var svg = figure.querySelector(":scope > svg")
      var native = svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width
      var shown = svg && svg.getBoundingClientRect().width
      return { figure: figure, wanted: !!shown && !figure.querySelector(".r1-zoom") &&
               (figure.scrollWidth > figure.clientWidth + 1 || shown < native - 1) }
    }).filter(function (x) { return x.wanted }).forEach(function (x) {
      var button = document.createElement("button")
      button.type = "button"
      button.className = "r1-zoom"
      button.textContent = zh ? "⤢ 全屏查看" : "⤢ View full screen"
      button.addEventListener("click", function () { enlarge(x.figure) })
      x.figure.appendChild(button)
    })
  }

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)) }

  // Each step is a short task just after a frame, when the layout is fresh: measured in one
  // task in the middle of Material's set-up, the page was laid out three extra times, in a
  // task long enough to delay a tap (44 ms of 67 on /landscape/). <html data-r1-layout>
  // says "done" once the last pass has cued every box.
  function afterFrame(step) { requestAnimationFrame(function () { setTimeout(step, 0) }) }

  var passes = 0
  function update() {
    var pass = ++passes
    document.documentElement.setAttribute("data-r1-layout", "busy")
    var items = all(FITTABLE).map(function (box) {
      return { box: box, content: box.matches(".math") ? box.querySelector("math") : box.querySelector("table") }
    }).filter(function (x) { return x.content })
    items.forEach(function (x) { if (x.content.style.fontSize) x.content.style.fontSize = "" })
    var rounds = 0
    function fit() {
      if (pass !== passes) return  // a later pass (fonts loaded, window resized) took over
      items = rounds++ < 3 ? fitStep(items) : []
      if (items.length) return afterFrame(fit)
      zoomButtons(all(".md-typeset figure.diagram"))
      afterFrame(finish)
    }
    function finish() {
      if (pass !== passes) return
      cueAll(all(SCROLLERS))
      document.documentElement.setAttribute("data-r1-layout", "done")
    }
    afterFrame(fit)
  }

  document$.subscribe(function () {
    update()
    if (document.fonts && document.fonts.status !== "loaded") document.fonts.ready.then(update)
    all(SCROLLERS).forEach(function (box) {
      box.addEventListener("scroll", function () { cue(box) }, { passive: true })
    })
    // The search overlay is a dialog; give it the name its input already shows.
    var search = document.querySelector(".md-search[role=dialog]")
    var input = document.querySelector(".md-search__input")
    if (search && input) search.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder)
  })
  var pending
  window.addEventListener("resize", function () {
    clearTimeout(pending)
    pending = setTimeout(update, 150)
  })
})()
