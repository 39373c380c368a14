"""The member card's 1D barcode, drawn on the server as SVG.

python-barcode does the encoding (Code 128 by default, Code 39, Codabar); the drawing is one
path in module units, so it stays sharp at any size, dark on white with wide quiet zones.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from itertools import groupby

import barcode

SYMBOLOGIES = ("code128", "code39", "codabar")
# Quiet zone on each side, in modules; scanners need at least 10 (ISO/IEC 15417, 16388).
QUIET_ZONE_MODULES = 12
BAR_HEIGHT_MODULES = 40


def _modules(number: str, symbology: str) -> str:
    if symbology == "code128":
        code = barcode.get_barcode_class("code128")(number)
    elif symbology == "code39":
        code = barcode.get_barcode_class("code39")(number, add_checksum=False)
    elif symbology == "codabar":
        # Codabar needs start/stop characters; scanners are set to strip them.
        code = barcode.get_barcode_class("codabar")(f"A{number}A")
    else:
        raise ValueError(f"unknown symbology {symbology!r}")
    return "".join(code.build())


@lru_cache(maxsize=512)
def barcode_svg(number: str, symbology: str = "code128") -> str:
    """An SVG of exactly `number`, scaled to its container's width (viewBox in module units)."""
    if not number.isascii() or not number.isdigit():
        raise ValueError("a card number has digits only")
    modules = _modules(number, symbology)
    width = len(modules) + 2 * QUIET_ZONE_MODULES
    bars = []
    x = QUIET_ZONE_MODULES
    for bit, run in groupby(modules):
        length = len(list(run))
        if bit == "1":
            bars.append(f"M{x} 0h{length}v{BAR_HEIGHT_MODULES}h-{length}z")
        x += length
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {BAR_HEIGHT_MODULES}" '
        f'preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{BAR_HEIGHT_MODULES}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(bars)}"/></svg>'
    )


def barcode_data_uri(number: str, symbology: str = "code128") -> str:
    encoded = base64.b64encode(barcode_svg(number, symbology).encode("ascii")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
