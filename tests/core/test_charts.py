"""The server-drawn SVG charts: well-formed, accessible, escaped, proportional, CSP-clean (no style)."""

import xml.etree.ElementTree as ET

import pytest

from ansinh.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(root: ET.Element) -> list[ET.Element]:
    """The data rects: those with a tooltip (legend swatches and pattern tiles have none)."""
    return [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (3, 3, 1), (7, 8, 2), (10, 10, 5), (37, 40, 10), (120, 150, 50), (999, 1000, 500)],
)
def test_axis_top_is_round_and_covers_the_largest_value(largest, top, step):
    assert charts.axis_top(largest) == (top, step)


def test_stacked_columns_stack_each_series_in_proportion():
    svg = charts.stacked_columns(
        ["01/03", "02/03", "03/03"],
        [
            charts.Series("SOS", [2, 0, 4], colour=charts.VERMILLION, hatched=True),
            charts.Series("Support", [2, 0, 0]),
        ],
        title="Requests per day",
        chart_id="days",
        description="8 requests",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "days-title days-desc"
    assert root.find(f"{SVG}title").text == "Requests per day"
    assert root.find(f"{SVG}desc").text == "8 requests"
    drawn = bars(root)
    # Zero values draw nothing: 2 bars on day 1, none on day 2, 1 on day 3.
    assert [r.find(f"{SVG}title").text for r in drawn] == [
        "01/03 — SOS: 2",
        "01/03 — Support: 2",
        "03/03 — SOS: 4",
    ]
    heights = [float(r.get("height")) for r in drawn]
    assert heights[0] == pytest.approx(heights[1])
    assert heights[2] == pytest.approx(heights[0] + heights[1])
    # Stacked: the second segment sits right on top of the first.
    assert float(drawn[1].get("y")) + heights[1] == pytest.approx(float(drawn[0].get("y")))
    # The hatched series is filled by a pattern of this chart; the other by its colour.
    assert drawn[0].get("fill") == "url(#days-hatch0)"
    assert root.find(f".//{SVG}pattern").get("id") == "days-hatch0"
    assert drawn[1].get("fill") == charts.BLUE
    assert "style" not in str(svg)


def test_stacked_columns_show_at_most_max_ticks_labels_and_the_first():
    labels = [f"{d:02d}/03" for d in range(1, 31)]
    svg = charts.stacked_columns(
        labels, [charts.Series("n", [1] * 30)], title="t", chart_id="many", max_ticks=6
    )
    ticks = [t.text for t in parse(svg).iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert ticks[0] == "01/03"
    assert len(ticks) <= 6


def test_labels_are_escaped_and_ids_checked():
    svg = charts.horizontal_bars([("<script>alert(1)</script>", 3)], title="a & b", chart_id="x1")
    assert "<script>" not in svg
    assert parse(svg).find(f"{SVG}title").text == "a & b"
    with pytest.raises(ValueError):
        charts.horizontal_bars([], title="t", chart_id='x" onload="alert(1)')
    with pytest.raises(ValueError):
        charts.stacked_columns(["a", "b"], [charts.Series("s", [1])], title="t", chart_id="c")


def test_horizontal_bars_are_proportional_with_full_labels_in_tooltips():
    long_label = "Referred to the mission, the enterprise or the police, and then some more words"
    svg = charts.horizontal_bars(
        [("Korea", 10), (long_label, 5), ("Nowhere", 0)], title="By country", chart_id="countries"
    )
    root = parse(svg)
    drawn = bars(root)
    assert len(drawn) == 2  # no bar for zero
    assert float(drawn[0].get("width")) == pytest.approx(2 * float(drawn[1].get("width")))
    assert drawn[1].find(f"{SVG}title").text == f"{long_label}: 5"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Korea" in texts
    assert any(t.endswith("…") and len(t) <= 46 for t in texts)
    assert texts[-1] == "0"
    # Narrow enough to stay legible on a 360 px phone.
    assert root.get("viewBox").startswith("0 0 360 ")


def test_empty_charts_are_still_valid_svg():
    assert bars(parse(charts.horizontal_bars([], title="t", chart_id="e1"))) == []
    assert bars(parse(charts.stacked_columns([], [charts.Series("s", [])], title="t", chart_id="e2"))) == []


def test_default_colours_have_three_to_one_contrast_on_white():
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in charts.PALETTE:
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour
