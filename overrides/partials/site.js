// Accessibility touches Material leaves out; runs on every page load.
document$.subscribe(function () {
  // Wide tables scroll sideways: keyboard users must be able to focus the scroll area.
  document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset .math, figure.diagram").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth) el.tabIndex = 0
  })
  // The search overlay is a dialog; give it the name its input already shows.
  var search = document.querySelector(".md-search[role=dialog]")
  var input = document.querySelector(".md-search__input")
  if (search && input) search.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder)
})
