// Reading aids Material leaves out; runs on every page load.
(function () {
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0
  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset .math, .md-typeset figure.diagram, .md-typeset figure.r1-chart"
  // A formula or table at most this much too wide is shrunk to fit; a wider one scrolls.
  var MIN_FIT = 0.8

  // Shrink display formulas and tables that are slightly too wide for their column. Reads
  // and writes are batched: each forced layout of a long page costs tens of milliseconds.
  function fitAll(boxes) {
    var items = boxes.map(function (box) {
      var content = box.matches(".math") ? box.querySelector("math") : box.querySelector("table")
      if (content && content.style.fontSize) content.style.fontSize = ""
      return { box: box, content: content }
    }).filter(function (x) { return x.content })
    for (var round = 0; round < 3 && items.length; round++) {
      items = items.map(function (x) {
        x.over = x.box.scrollWidth / x.box.clientWidth
        x.size = x.size || parseFloat(getComputedStyle(x.content).fontSize)
        x.base = x.base || x.size
        return x
      }).filter(function (x) { return x.over > 1.001 && x.size / x.over >= x.base * MIN_FIT })
      items.forEach(function (x) {
        x.size = x.size / x.over * 0.995
        x.content.style.fontSize = x.size.toFixed(2) + "px"
      })
    }
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

  function update() {
    fitAll(all(".md-typeset__scrollwrap, .md-typeset .math"))
    zoomButtons(all(".md-typeset figure.diagram"))
    cueAll(all(SCROLLERS))
  }

  // Measured at the start of a frame, when the browser is about to lay the page out anyway:
  // measured at once, in the middle of Material's own set-up, the page was laid out an extra
  // time, then again after Material's changes.
  function nextFrame() { requestAnimationFrame(update) }

  document$.subscribe(function () {
    nextFrame()
    if (document.fonts && document.fonts.status !== "loaded") document.fonts.ready.then(nextFrame)
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
    pending = setTimeout(nextFrame, 150)
  })
})()
