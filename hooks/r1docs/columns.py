"""The article's text column and a diagram's drawn box, as the diagram layouts (typeset.py) and
the chunks' height estimates (progressive.py) both reckon them."""

from __future__ import annotations

import re

# The text column Material gives an article: 688 px in a 1400 px desktop window, 358 px on a
# 390 px phone.
DESKTOP_COLUMN_PX = 688.0
PHONE_COLUMN_PX = 358.0

# An SVG viewBox: min-x, min-y, width, height.
VIEWBOX_VALUE = re.compile(r"[-\d.]+ [-\d.]+ (?P<w>[\d.]+) (?P<h>[\d.]+)")
