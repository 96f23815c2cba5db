// Runs before Material's bundle reads its config (inlined by overrides/main.html).
(function () {
  // 0. Material's bundle swaps <html class="no-js"> for "js" when it starts, at the end of the
  //    page: every element is restyled and the page laid out again (60-100 ms on a formula
  //    page). Here, before <body> is parsed, the swap costs nothing and the bundle's is a no-op.
  document.documentElement.classList.replace("no-js", "js")

  // 1. Pages of a non-default language search their own index, at <language root>/search/.
  var lang = document.currentScript && document.currentScript.dataset.language
  if (lang) {
    var config = document.getElementById("__config")
    var data = JSON.parse(config.textContent)
    data.base = data.base.replace(/\/?$/, "/" + lang + "/")
    config.textContent = JSON.stringify(data)
  }

  // 2. The search index is the heaviest file of a page, and most readers never search:
  //    Material requests it on load, so hold that request until the search box gets focus.
  // 3. Material also fetches every language's sitemap on load, to keep a reader on the same
  //    page when switching language. The switcher here already links each page's counterpart
  //    (overrides/partials/alternate.html), so those requests are never sent.
  var proto = XMLHttpRequest.prototype, open = proto.open, send = proto.send
  var waiting = [], released = false
  proto.open = function (method, url) {
    this.__r1Kind = /\/search\/search_index\.json$/.test(String(url)) ? "index"
      : /\/sitemap\.xml$/.test(String(url)) ? "sitemap" : ""
    return open.apply(this, arguments)
  }
  proto.send = function () {
    var request = this, args = arguments
    if (request.__r1Kind === "sitemap") return
    if (request.__r1Kind === "index" && !released) waiting.push(function () { send.apply(request, args) })
    else return send.apply(request, args)
  }
  document.addEventListener("focusin", function (event) {
    if (!released && event.target.matches && event.target.matches(".md-search__input")) {
      released = true
      waiting.splice(0).forEach(function (go) { go() })
    }
  })
})()
