// Build-time renderer: one JSON request per stdin line, one JSON answer per stdout line.
// {"kind": "math", "tex": "...", "display": true} -> MathML (KaTeX), drawn by the browser
// {"kind": "mermaid", "src": "..."}               -> inline SVG, themed by CSS variables
// An answer is {"id": …, "ok": true, "html": ...} or {"id": …, "ok": false, "error": ..., "line": n},
// where `id` repeats the request's and `line` (when known) is the source line of the error, from 1.
import readline from 'node:readline'
import katex from 'katex'
import { renderMermaidSVG } from 'beautiful-mermaid'

// The diagram library always adds a Google Fonts @import; the site makes no third-party request.
const FONT_IMPORT = /@import url\([^)]*\);?/g

class SourceError extends Error {
  constructor (message, line) {
    super(message)
    this.line = line
  }
}

// --- Math ---------------------------------------------------------------------------------
function renderMath (req) {
  // Trust stays off (no \href, \url, \html*, \includegraphics output), but KaTeX would draw
  // such a command as red text without a word: ask which ones the formula uses, and fail.
  const untrusted = []
  const html = katex.renderToString(req.tex, {
    displayMode: !!req.display, output: 'mathml', throwOnError: true, strict: 'ignore',
    trust: (context) => { untrusted.push(context.command); return false },
  })
  if (untrusted.length) {
    const names = [...new Set(untrusted)].map((x) => `'${x}'`).join(', ')
    throw new Error(`it uses ${names}, which the site does not allow in formulas (links and HTML are not math): remove it`)
  }
  return html
}

// --- Flowcharts ---------------------------------------------------------------------------
// beautiful-mermaid draws whatever it half understands (`A -->` becomes a lone node, a broken
// shape becomes a label), so every flowchart statement must parse in full first.
const TEXT = (open, close, forbidden) =>
  `${open}(?:"[^"]*"|[^"${forbidden}]*)${close}`
const SHAPES = [
  TEXT('\\(\\(\\(', '\\)\\)\\)', '()'), TEXT('\\(\\(', '\\)\\)', '()'), TEXT('\\(\\[', '\\]\\)', '\\[\\]'),
  TEXT('\\[\\(', '\\)\\]', '()'), TEXT('\\[\\[', '\\]\\]', '\\[\\]'), TEXT('\\{\\{', '\\}\\}', '{}'),
  TEXT('\\[/', '[/\\\\]\\]', '\\[\\]/\\\\'), TEXT('\\[\\\\', '[/\\\\]\\]', '\\[\\]/\\\\'),
  TEXT('\\[', '\\]', '\\[\\]'), TEXT('\\(', '\\)', '()'), TEXT('\\{', '\\}', '{}'), TEXT('>', '\\]', '\\[\\]'),
].join('|')
const NODE = `[\\p{L}\\p{N}_]+(?:${SHAPES})?(?::::[\\w-]+)?`
const GROUP = `${NODE}(?:\\s*&\\s*${NODE})*`
const LABEL = '(?:\\|(?:"[^"]*"|[^|"]*)\\|)?'
const ARROW = '(?:[<ox]?(?:-{2,}|={2,}|-\\.+-)[>ox]?|--\\s[^|]+?\\s-->|==\\s[^|]+?\\s==>|-\\.\\s[^|]+?\\s\\.->)'
const STATEMENT = new RegExp(`^${GROUP}(?:\\s*${ARROW}${LABEL}\\s*${GROUP})*$`, 'u')
const OTHER = /^(?:%%.*|subgraph\b.*|end|direction\s+(?:TB|TD|BT|LR|RL)|(?:classDef|class|style|linkStyle|click)\s.+)$/
const HEADER = /^(?:graph|flowchart)(?:\s+(?:TB|TD|BT|LR|RL))?\s*;?$/
const OUTSIDE_QUOTES = /;(?=(?:[^"]*"[^"]*")*[^"]*$)/

function checkFlowchart (src) {
  const lines = src.split('\n')
  const header = lines.findIndex((x) => x.trim() && !x.trim().startsWith('%%'))
  if (!/^(?:graph|flowchart)\b/.test(lines[header]?.trim() ?? '')) return
  if (!HEADER.test(lines[header].trim())) {
    throw new SourceError(`'${lines[header].trim()}' is not a flowchart header: write 'flowchart TD' or 'flowchart LR'`, header + 1)
  }
  lines.forEach((raw, index) => {
    if (index <= header) return
    for (const part of raw.split(OUTSIDE_QUOTES)) {
      const statement = part.trim()
      if (/^(?:style|classDef|linkStyle)\s/.test(statement) && /url\s*\(/i.test(statement)) {
        throw new SourceError(`the statement '${statement}' uses url(…): a diagram loads nothing, use a colour`, index + 1)
      }
      if (statement && !OTHER.test(statement) && !STATEMENT.test(statement)) {
        throw new SourceError(`the statement '${statement}' is not understood (an edge with no target, or an unclosed shape?)`, index + 1)
      }
    }
  })
}

function renderDiagram (req) {
  checkFlowchart(req.src)
  const svg = renderMermaidSVG(req.src, {
    bg: 'var(--md-default-bg-color)', fg: 'var(--md-default-fg-color)',
    accent: 'var(--md-accent-fg-color)', font: 'system-ui', transparent: true,
  })
  return svg.replace(FONT_IMPORT, '')
}

function render (req) {
  if (req.kind === 'math') return renderMath(req)
  if (req.kind === 'mermaid') return renderDiagram(req)
  throw new Error(`unknown request kind '${req.kind}'`)
}

// --- Protocol -----------------------------------------------------------------------------
// stdout carries the answers only: anything a library prints goes to stderr.
console.log = console.info = console.debug = console.warn = (...args) => console.error(...args)
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  let answer
  let id = null
  try {
    const req = JSON.parse(line)
    id = req.id ?? null
    answer = { id, ok: true, html: render(req) }
  } catch (e) {
    answer = { id, ok: false, error: String((e && e.message) || e).split('\n')[0] }
    if (e instanceof SourceError) answer.line = e.line
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
})
// The build went away (its end of the pipe closed, however it ended): so does the renderer.
rl.on('close', () => process.exit(0))
process.stdout.on('error', () => process.exit(0))
