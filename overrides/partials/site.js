// Reading aids Material leaves out; runs on every page load.
(function () {
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0
  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset .math, .md-typeset figure.diagram, .md-typeset figure.r1-chart"
  // A formula or table at most this much too wide is shrunk to fit; a wider one scrolls.
  var MIN_FIT = 0.8

  // Shrink a display formula or table that is slightly too wide for its column.
  function fit(box) {
    var content = box.matches(".math") ? box.querySelector(".katex-display, math") : box.querySelector("table")
    if (!content) return
    content.style.fontSize = ""
    var over = box.scrollWidth / box.clientWidth
    if (over <= 1.001 || over > 1 / MIN_FIT) return
    var size = parseFloat(getComputedStyle(content).fontSize)
    for (var i = 0; i < 4 && box.scrollWidth > box.clientWidth + 1; i++) {
      size *= 0.995 * box.clientWidth / box.scrollWidth
      content.style.fontSize = size.toFixed(2) + "px"
    }
  }

  // Fade the edge past which a scroll box has more to show; keyboard users can focus it.
  function cue(box) {
    var more = box.scrollWidth - box.clientWidth > 1
    var left = box.scrollLeft
    box.classList.toggle("r1-more-start", more && left > 1)
    box.classList.toggle("r1-more-end", more && left < box.scrollWidth - box.clientWidth - 1)
    if (more) {
      box.tabIndex = 0
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", zh ? "可左右滚动" : "Scrolls sideways")
    }
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

  function zoomButton(figure) {
    var svg = figure.querySelector(":scope > svg")
    if (!svg || figure.querySelector(".r1-zoom") || !svg.getClientRects().length) return
    var native = svg.viewBox.baseVal && svg.viewBox.baseVal.width
    if (!(figure.scrollWidth > figure.clientWidth + 1 || svg.getBoundingClientRect().width < native - 1)) return
    var button = document.createElement("button")
    button.type = "button"
    button.className = "r1-zoom"
    button.textContent = zh ? "⤢ 全屏查看" : "⤢ View full screen"
    button.addEventListener("click", function () { enlarge(figure) })
    figure.appendChild(button)
  }

  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset .math").forEach(fit)
    document.querySelectorAll(".md-typeset figure.diagram").forEach(zoomButton)
    document.querySelectorAll(SCROLLERS).forEach(cue)
  }

  document$.subscribe(function () {
    update()
    if (document.fonts) document.fonts.ready.then(update)
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
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
