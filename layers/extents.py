"""How far to trust each drawn zone: its published area beside the area drawn, with the
published boundary (四至) it follows and the source of both (data/extents.csv).

The drawn area is measured on the geometry the app uses, so an official file configured in
layers.toml is compared with the published figure in the same way as the bundled sketch.
"""

from __future__ import annotations

import pandas as pd

from geo.crs import METRIC
from layers.load import load_layer
from layers.plan import table
from layers.tables import for_reader

# The layers whose features are zones a planner may ask "how far to trust this line?" of.
ZONE_LAYERS = ("core_zone", "riverside_extension", "financial_cities", "finance_towns",
               "major_projects", "published_extents")


def area_table() -> pd.DataFrame:
    """Every feature of the zone layers: published area, drawn area (km², in EPSG:4549), the
    difference in per cent of the published area, and where both come from. A point has no
    drawn area; a zone with no published area has no difference."""
    rows = []
    facts = table("extents").set_index(["layer", "name_zh"])
    for layer in ZONE_LAYERS:
        frame = load_layer(layer).frame
        areas = frame.geometry.to_crs(METRIC).area / 1e6
        for (_, feature), area in zip(frame.iterrows(), areas):
            fact = facts.loc[(layer, feature["name_zh"])] if (layer, feature["name_zh"]) in facts.index \
                else pd.Series("", index=facts.columns)
            drawn = round(float(area), 2) if area else None  # a point has no area
            stated = float(fact["area_km2"]) if fact["area_km2"] else None
            rows.append({
                "layer": layer, "name_zh": feature["name_zh"], "name_en": feature["name_en"],
                "published_km2": stated, "drawn_km2": drawn,
                "difference_pct": round(100 * (drawn - stated) / stated) if drawn and stated else None,
                "extent_quote": fact["extent_quote"], "cite_zh": fact["cite_zh"],
                "cite_en": fact["cite_en"], "confidence": fact["confidence"],
                "source": feature["source"], "accuracy": feature["accuracy"],
                "note_zh": fact["note_zh"], "note_en": fact["note_en"]})
    return pd.DataFrame(rows)


# How a figure of the area table is written, and what an empty cell means, in each language.
FIGURES = {"published_km2": ("{:g}", "未发布", "none published"),
           "drawn_km2": ("{:.2f}", "点，无面积", "a point, no area"),
           "difference_pct": ("{:+.0f}", "—", "—")}


def area_table_for_reader(lang: str) -> pd.DataFrame:
    """:func:`area_table` as a reader sees it in ``lang``: headers and sources in that language,
    figures written as text (the difference with its sign), and an empty figure said in words
    (none published, a point) rather than left blank."""
    frame = area_table()
    for column, (form, zh, en) in FIGURES.items():
        frame[column] = [form.format(v) if pd.notna(v) else (en if lang == "en" else zh)
                         for v in frame[column]]
    return for_reader(frame, lang)


def area_sentence(layer: str, name_zh: str, lang: str) -> str:
    """One zone's published and drawn areas in a sentence of ``lang`` (for its panel on the
    map); "" for a feature that is not a zone of the area table or has no area."""
    table = area_table()
    rows = table[(table["layer"] == layer) & (table["name_zh"] == name_zh)]
    if rows.empty or pd.isna(rows.iloc[0]["drawn_km2"]):
        return ""
    row = rows.iloc[0]
    drawn = f"{row['drawn_km2']:.2f}"
    if pd.isna(row["published_km2"]):
        return (f"Area: {drawn} km² drawn; no published area found" if lang == "en"
                else f"面积：图上 {drawn} 平方千米；未查到已发布的面积")
    published, difference = f"{row['published_km2']:g}", f"{row['difference_pct']:+.0f} %"
    return (f"Area: {published} km² published, {drawn} km² drawn ({difference})" if lang == "en"
            else f"面积：已发布 {published} 平方千米，图上 {drawn} 平方千米（{difference}）")
