"""Bar charts drawn at build time from a small YAML block (a ```` ```chart ```` fence).

```chart
title: AIME 2024 and other benchmarks, R1 against o1-1217   # the chart's accessible name
axis: Score (0–100)          # optional, under the axis
max: 100                     # the axis runs from 0 to max
series: [R1, o1-1217]        # the legend, in the page's language
rows:
  - [AIME 2024, 79.8, 79.2]  # a label, then one value per series
```

The SVG is narrow (a phone shows every label at 10 px or more) and themed by Material's
colour variables, so it follows dark mode. Series are told apart by fill *and* pattern
(solid, hatched, light), which survives greyscale print; every bar carries its value.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import yaml

CHART_SOURCE = re.compile(r'<pre class="chart-source"(?: data-search-exclude)?><code>(?P<src>.*?)</code></pre>', re.S)

WIDTH = 380
LABEL_PX, VALUE_PX, TICK_PX = 13, 12, 12
BAR, BAR_GAP, ROW_GAP, LABEL_GAP = 13, 3, 12, 5
LEFT, RIGHT = 2, 46  # the right margin holds the value of a full-length bar
FG = "var(--md-default-fg-color)"
FG_LIGHT = "var(--md-default-fg-color--light)"
FG_FAINT = "var(--md-default-fg-color--lightest)"
BG = "var(--md-default-bg-color)"


class ChartError(ValueError):
    """A chart block that cannot be drawn: the message says what to fix."""


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[str]
    rows: list[tuple[str, list[float]]]
    maximum: float
    axis: str = ""
    unit: str = ""


def parse(src: str) -> Chart:
    try:
        data = yaml.safe_load(src)
    except yaml.YAMLError as e:
        raise ChartError(f"is not valid YAML ({str(e).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ChartError("must be a mapping with 'title', 'series' and 'rows'")
    unknown = sorted(set(data) - {"title", "axis", "max", "series", "rows", "unit"})
    if unknown:
        raise ChartError(f"has unknown field '{unknown[0]}' (known: title, axis, max, unit, series, rows)")
    title, series, rows = data.get("title"), data.get("series"), data.get("rows")
    if not isinstance(title, str) or not title.strip():
        raise ChartError("needs a 'title' (the chart's accessible name)")
    if not isinstance(series, list) or not series or not all(isinstance(s, str) for s in series):
        raise ChartError("needs 'series': a list of names, one per bar of a row")
    if len(series) > 3:
        raise ChartError("has more than 3 series; split it into two charts")
    if not isinstance(rows, list) or not rows:
        raise ChartError("needs 'rows': a list of [label, value, ...]")
    parsed = []
    for number, row in enumerate(rows, 1):
        if (not isinstance(row, list) or len(row) != len(series) + 1 or not isinstance(row[0], (str, int, float))
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in row[1:])):
            raise ChartError(f"has row {number} not of the form [label, {', '.join('value' for _ in series)}] with values ≥ 0")
        parsed.append((str(row[0]), [float(v) for v in row[1:]]))
    top = max(v for _, values in parsed for v in values)
    maximum = data.get("max", top)
    if not isinstance(maximum, (int, float)) or maximum <= 0 or maximum < top:
        raise ChartError(f"has 'max: {maximum}' below its largest value {top:g}")
    return Chart(title.strip(), series, parsed, float(maximum), str(data.get("axis") or ""), str(data.get("unit") or ""))


def _fill(index: int, ident: str) -> str:
    return [f"fill:{FG}", f"fill:url(#{ident}-hatch);stroke:{FG};stroke-width:1", f"fill:{FG_FAINT};stroke:{FG_LIGHT};stroke-width:1"][index]


def _ticks(maximum: float) -> list[float]:
    step = maximum / 4
    return [round(step * i, 6) for i in range(5)]


def _text_width(text: str) -> float:
    """A generous estimate of a label's width at LABEL_PX (CJK characters are square)."""
    return sum(LABEL_PX if ord(c) > 0x2E80 else LABEL_PX * 0.6 for c in text)


def _num(value: float) -> str:
    return f"{value:g}"


def svg(chart: Chart, ident: str) -> str:
    """The chart as inline SVG; `ident` keeps its pattern id unique on the page."""
    e = html.escape
    plot = WIDTH - LEFT - RIGHT
    parts: list[str] = []
    # Legend: a swatch and a name per series, on one line.
    x, y = LEFT, 4
    if len(chart.series) > 1:
        for i, name in enumerate(chart.series):
            parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" style="{_fill(i, ident)}"/>')
            parts.append(f'<text x="{x + 19}" y="{y + 12}" font-size="{LABEL_PX}" style="fill:{FG}">{e(name)}</text>')
            x += 19 + _text_width(name) + 24
        y += 14 + ROW_GAP + 4
    top = y
    group = len(chart.series) * BAR + (len(chart.series) - 1) * BAR_GAP
    rows = []
    for label, values in chart.rows:
        rows.append(f'<text x="{LEFT}" y="{y + LABEL_PX - 2}" font-size="{LABEL_PX}" font-weight="500" style="fill:{FG}">{e(label)}</text>')
        y += LABEL_PX + LABEL_GAP
        for i, value in enumerate(values):
            width = plot * value / chart.maximum
            by = y + i * (BAR + BAR_GAP)
            rows.append(f'<rect x="{LEFT}" y="{by}" width="{width:.1f}" height="{BAR}" style="{_fill(i, ident)}">'
                        f"<title>{e(chart.series[i])}: {_num(value)}{e(chart.unit)}</title></rect>")
            rows.append(f'<text x="{LEFT + width + 4:.1f}" y="{by + BAR - 2}" font-size="{VALUE_PX}" style="fill:{FG}">'
                        f"{_num(value)}{e(chart.unit)}</text>")
        y += group + ROW_GAP
    bottom = y - ROW_GAP + 4
    # Grid and axis from zero: lines behind the bars, tick values under them.
    grid = []
    for tick in _ticks(chart.maximum):
        gx = LEFT + plot * tick / chart.maximum
        grid.append(f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="{top - 4}" y2="{bottom}" style="stroke:{FG_FAINT};stroke-width:1"/>')
        anchor = "start" if tick == 0 else "end" if tick == chart.maximum else "middle"
        grid.append(f'<text x="{gx:.1f}" y="{bottom + TICK_PX + 3}" font-size="{TICK_PX}" text-anchor="{anchor}" '
                    f'style="fill:{FG_LIGHT}">{_num(tick)}</text>')
    grid.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{top - 4}" y2="{bottom}" style="stroke:{FG};stroke-width:1.5"/>')
    height = bottom + TICK_PX + 6
    if chart.axis:
        grid.append(f'<text x="{LEFT + plot / 2:.1f}" y="{height + TICK_PX}" font-size="{TICK_PX}" text-anchor="middle" '
                    f'style="fill:{FG_LIGHT}">{e(chart.axis)}</text>')
        height += TICK_PX + 6
    pattern = (f'<defs><pattern id="{ident}-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
               f'patternTransform="rotate(45)"><rect width="5" height="5" style="fill:{BG}"/>'
               f'<line x1="0" y1="0" x2="0" y2="5" style="stroke:{FG};stroke-width:2.2"/></pattern></defs>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-label="{e(chart.title)}" font-family="system-ui, sans-serif">'
            f"<title>{e(chart.title)}</title>{pattern}{''.join(grid)}{''.join(parts)}{''.join(rows)}</svg>")


def exclude_from_search(page_html: str) -> str:
    """Keep the YAML source out of the search index (the chart is drawn after indexing)."""
    return page_html.replace('<pre class="chart-source">', '<pre class="chart-source" data-search-exclude>')


def render_charts(page_html: str) -> tuple[str, list[str]]:
    """Replace every chart block with its SVG; return the new HTML and the errors."""
    errors: list[str] = []
    count = 0

    def replace(m: re.Match) -> str:
        nonlocal count
        src = html.unescape(m["src"])
        try:
            chart = parse(src)
        except ChartError as e:
            first = " ".join(src.split())[:40]
            errors.append(f"chart '{first}' that {e}")
            return m[0]
        count += 1
        return f'<figure class="r1-chart" data-search-exclude>{svg(chart, f"c{count}")}</figure>'

    return CHART_SOURCE.sub(replace, page_html), errors
