"""Small charts as SVG geometry computed here and drawn by templates/topics/_bars.html and _spark.html: bars
and a polyline from a handful of numbers need no chart library, and the page stays free of scripts."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 120
SPARK_W, SPARK_H = 160, 36


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


def bars(values: list[float], labels: list[str], *, width: int = WIDTH, height: int = HEIGHT) -> dict:
    top = max(values, default=0) or 1
    step = width / max(len(values), 1)
    gap = 1 if step > 3 else 0
    out = [
        Bar(
            x=round(i * step, 2),
            y=round(height - v / top * height, 2),
            width=round(max(step - gap, 0.5), 2),
            height=round(v / top * height, 2),
            title=f"{label}: {v:g}",
        )
        for i, (v, label) in enumerate(zip(values, labels))
    ]
    return {"bars": out, "width": width, "height": height, "top": top}


def spark(values: list[float], *, width: int = SPARK_W, height: int = SPARK_H) -> dict:
    top = max(values, default=0) or 1
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{round(i * step, 1)},{round(height - 2 - v / top * (height - 4), 1)}" for i, v in enumerate(values)
    )
    return {"points": points, "width": width, "height": height}
