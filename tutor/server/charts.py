"""Inline SVG charts for the dashboard: no script and no external asset, so they draw offline and
on any phone browser."""

from __future__ import annotations

from html import escape


def line_chart(points: list[tuple[str, float, int]], width: int = 600, height: int = 220) -> str:
    """Mean score (0..1) per day as a line with dots; each dot has a tooltip."""
    left, right, top, bottom = 40, 10, 10, 30
    inner_w, inner_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" preserveAspectRatio="xMidYMid meet">'
    ]
    for tick in (0, 0.5, 1):
        y = top + inner_h * (1 - tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{int(tick * 100)}%</text>'
        )
    if points:
        step = inner_w / max(1, len(points) - 1)
        coords = [
            (left + (i * step if len(points) > 1 else inner_w / 2), top + inner_h * (1 - value))
            for i, (_day, value, _n) in enumerate(points)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline fill="none" stroke="#1565c0" stroke-width="2" points="{path}"/>')
        for (x, y), (day, value, n) in zip(coords, points, strict=True):
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1565c0">'
                f"<title>{escape(day)}: {value * 100:.0f}% ({n})</title></circle>"
            )
        for (x, _y), (day, _v, _n) in (
            (coords[0], points[0]),
            (coords[-1], points[-1]),
        ):
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">'
                f"{escape(day)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
