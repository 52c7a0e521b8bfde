"""Server-rendered bar charts, no JavaScript: the page and the PDF draw the same bars.

Both draw them as an HTML table of label, bar and value: text stays text at every
width (12 px or more on a 360 px phone, where an SVG scaled to fit shrank its
labels to 7 px and clipped long ones), and WeasyPrint lays Lao marks out right in
HTML, not in SVG text. The coordinates remain for the SVG's `viewBox` users.
"""

from dataclasses import dataclass

WIDTH = 640
VERTICAL_HEIGHT = 260
MARGIN = 16
ROW_HEIGHT = 34  # one bar of a horizontal chart
LABEL_WIDTH = 230  # room for district names left of horizontal bars


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as the reader sees it
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    label_anchor: str
    value_x: float
    value_y: float
    value_anchor: str
    share: str = "0"  # the bar's length, as a percentage of the longest ("62.5")


@dataclass(frozen=True)
class BarChart:
    identifier: str
    title: str
    description: str
    value_heading: str
    bars: tuple
    width: int
    height: int
    axis: tuple  # x1, y1, x2, y2 of the base line
    short_labels: bool = False  # years: the label column needs little room


def _share(value, largest):
    """`value` as a percentage of `largest`, as text: never localised ("62.5")."""
    if not largest:
        return "0"
    return f"{max(0.0, min(100.0, float(value or 0) / largest * 100)):.1f}"


def _largest(points):
    return max((float(value or 0) for _label, value, _text in points), default=0)


def bar_chart(*, identifier, title, value_heading, points, describe):
    """Vertical bars for a few categories with short labels, such as years.

    `points` are (label, value, text); `describe(points)` gives the text alternative.
    """
    points = list(points)
    top, bottom = 28, 48
    baseline = VERTICAL_HEIGHT - bottom
    plot_height = baseline - top
    largest = _largest(points)
    slot = (WIDTH - 2 * MARGIN) / max(len(points), 1)
    bar_width = min(slot * 0.6, 72)
    bars = []
    for index, (label, value, text) in enumerate(points):
        height = plot_height * float(value or 0) / largest if largest else 0
        x = MARGIN + slot * index + (slot - bar_width) / 2
        centre = x + bar_width / 2
        bars.append(
            Bar(
                label=str(label),
                text=text,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label_x=round(centre, 1),
                label_y=baseline + 20,
                label_anchor="middle",
                value_x=round(centre, 1),
                value_y=round(baseline - height - 6, 1),
                value_anchor="middle",
                share=_share(value, largest),
            )
        )
    return BarChart(
        identifier=identifier,
        title=title,
        description=describe(points),
        value_heading=value_heading,
        bars=tuple(bars),
        width=WIDTH,
        height=VERTICAL_HEIGHT,
        axis=(8, baseline, WIDTH - 8, baseline),
        short_labels=True,
    )


def horizontal_bar_chart(*, identifier, title, value_heading, points, describe):
    """Horizontal bars for categories with long labels, such as district names."""
    points = list(points)
    top = 8
    value_room = 110
    plot_width = WIDTH - LABEL_WIDTH - value_room
    largest = _largest(points)
    bars = []
    for index, (label, value, text) in enumerate(points):
        length = plot_width * float(value or 0) / largest if largest else 0
        y = top + index * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        bars.append(
            Bar(
                label=str(label),
                text=text,
                x=LABEL_WIDTH,
                y=y + 6,
                width=round(length, 1),
                height=ROW_HEIGHT - 12,
                label_x=LABEL_WIDTH - 8,
                label_y=round(middle + 5, 1),
                label_anchor="end",
                value_x=round(LABEL_WIDTH + length + 6, 1),
                value_y=round(middle + 5, 1),
                value_anchor="start",
                share=_share(value, largest),
            )
        )
    height = top * 2 + ROW_HEIGHT * max(len(points), 1)
    return BarChart(
        identifier=identifier,
        title=title,
        description=describe(points),
        value_heading=value_heading,
        bars=tuple(bars),
        width=WIDTH,
        height=height,
        axis=(LABEL_WIDTH, top, LABEL_WIDTH, height - top),
    )
