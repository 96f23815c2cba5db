// Build-time renderer: one JSON request per stdin line, one JSON answer per stdout line.
// {"kind": "math", "tex": "...", "display": true} -> MathML (KaTeX), drawn by the browser
// {"kind": "mermaid", "src": "..."}               -> inline SVG, themed by CSS variables
import readline from 'node:readline'
import katex from 'katex'
import { renderMermaidSVG } from 'beautiful-mermaid'

// The diagram library always adds a Google Fonts @import; the site makes no third-party request.
const FONT_IMPORT = /@import url\([^)]*\);?/g

function render(req) {
  if (req.kind === 'math') {
    return katex.renderToString(req.tex, {
      displayMode: !!req.display, output: 'mathml', throwOnError: true, strict: 'ignore',
    })
  }
  if (req.kind === 'mermaid') {
    const svg = renderMermaidSVG(req.src, {
      bg: 'var(--md-default-bg-color)', fg: 'var(--md-default-fg-color)',
      accent: 'var(--md-accent-fg-color)', font: 'system-ui', transparent: true,
    })
    return svg.replace(FONT_IMPORT, '')
  }
  throw new Error(`unknown request kind '${req.kind}'`)
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  let answer
  try {
    answer = { ok: true, html: render(JSON.parse(line)) }
  } catch (e) {
    answer = { ok: false, error: String(e && e.message || e).split('\n')[0] }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
})
