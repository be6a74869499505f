"""The map's colours and lines: areas far apart, relations told apart by more than colour, lines that show."""

from __future__ import annotations

import itertools
import json
import math
import re

import networkx as nx
import pytest

from graph.model import KINDS, RELATIONS, STRENGTHS
from graph.render.html import AREA_PALETTE, AREA_PATTERNS, KNOWN_COLOR, render_html

BACKGROUND = "#FFFFFF"


def lab(color: str) -> tuple:
    """sRGB ``#RRGGBB`` to CIELAB (D65)."""
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    xyz = ((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047,
           0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
           (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883)
    fx, fy, fz = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz]
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: tuple, lab2: tuple) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal, 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dl, dc = l2 - l1, c2 - c1
    dh = 0.0 if c1 * c2 == 0 else h2 - h1
    if dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    big_dh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    rc = 2 * math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    rt = -math.sin(math.radians(2 * rotation)) * rc
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (big_dh / sh) ** 2 + rt * (dc / sc) * (big_dh / sh))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours."""
    def luminance(color):
        c = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("one, two, expected", [  # Sharma, Wu and Dalal's test data, pairs 1, 7, 17, 25, 34
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_the_colour_difference_is_ciede2000(one, two, expected):
    assert ciede2000(one, two) == pytest.approx(expected, abs=1e-4)


def test_any_two_area_colours_are_at_least_15_apart_and_apart_from_the_kinds_and_known():
    others = [k.color for k in KINDS.values()] + [KNOWN_COLOR, BACKGROUND]
    assert len(set(AREA_PALETTE)) == len(AREA_PALETTE) >= 12
    for a, b in itertools.combinations(AREA_PALETTE, 2):
        assert ciede2000(lab(a), lab(b)) >= 15, (a, b)
    for a in AREA_PALETTE:
        for b in others:
            assert ciede2000(lab(a), lab(b)) >= 15, (a, b)


def payload(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
                      .group(1))


def every_look_graph() -> nx.DiGraph:
    """One edge of each relation at each strength it may have, and more areas than the palette has colours."""
    g = nx.DiGraph()
    areas = len(AREA_PALETTE) * 2 + 1
    for i in range(areas):
        g.add_node(f"t{i}", name=f"T{i}", kind="topic", area=f"area-{i:02d}")
    k = 0
    for name, spec in RELATIONS.items():
        for strength in ([None] if spec.fixed or spec.teaches else STRENGTHS):
            u, v = f"t{k}", f"t{k + 1}"
            if spec.teaches:
                u = "r"
                g.add_node("r", name="R", kind="resource")
            g.add_edge(u, v, relation=name, **({"strength": strength} if strength else {}))
            k += 1
    return g


def test_relations_differ_by_dashes_or_arrowheads_and_every_line_shows_on_the_map():
    data = payload(render_html(every_look_graph()))
    looks = data["looks"]
    marks = {}
    for look in looks:
        assert contrast(look["color"]["color"], BACKGROUND) >= 3, look
        marks.setdefault((json.dumps(look["dashes"]), look["arrow"]), []).append((look["relation"], look["strength"]))
    # No two looks share both their dash pattern and their arrowhead: colour is never the only difference.
    assert all(len(v) == 1 for v in marks.values()), marks
    # Each relation has an arrowhead of its own.
    arrows = {}
    for look in looks:
        arrows.setdefault(look["relation"], set()).add(look["arrow"])
    assert all(len(a) == 1 for a in arrows.values())
    assert len({next(iter(a)) for a in arrows.values()}) == len(arrows)


def test_more_areas_than_colours_go_round_with_border_patterns_and_the_legend_shows_them():
    graph = every_look_graph()
    page = render_html(graph)
    data = payload(page)
    seen = {}
    for i, node in enumerate(data["nodes"]):
        if node.get("area"):
            style = data["options"]["groups"][data["groups"][i]]
            look = (style["color"]["background"], json.dumps(style.get("shapeProperties", {}).get("borderDashes")))
            assert look not in seen.values(), (node["area"], seen)
            seen[node["area"]] = look
    assert len(seen) > len(AREA_PALETTE)
    assert AREA_PATTERNS[0] is False and all(AREA_PATTERNS[1:])
    legend = page.split('id="legend">')[1].split("</section>")[0]
    assert legend.count("dashed #222") == len(AREA_PALETTE) and legend.count("dotted #222") == 1


def test_the_legend_samples_each_drawn_line_with_its_dashes_and_arrowhead():
    page = render_html(every_look_graph())
    legend = page.split('id="legend">')[1].split("</section>")[0]
    for look in payload(page)["looks"]:
        dashes = look["dashes"]
        sample = f'stroke="{look["color"]["color"]}" stroke-width="{look["width"]}"'
        sample += f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else "/>"
        assert sample in legend, look
