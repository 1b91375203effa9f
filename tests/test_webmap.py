"""Map building: layers and styles present, text escaped, no CDN, GCJ-02 display shift,
simplification that keeps shared borders matched."""

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo.basemaps import tiles
from geo.crs import wgs84_to_gcj02
from geo.webmap import MapLayer, build_map, for_display
from layers.load import load_layer
from layers.maps import MAP_TEXTS, bounds, groups, map_layers
from layers.registry import MAPS, layers_for_map

HOSTILE = "<img src=x onerror=alert(1)>"


def render(fmap) -> str:
    return fmap.get_root().render()


@pytest.mark.parametrize("map_id", MAPS)
def test_every_layer_of_the_map_is_built_with_its_style(map_id):
    layers = map_layers(map_id, "zh")
    assert [layer.id for layer in layers] == [layer.id for layer in layers_for_map(map_id)]
    html = render(build_map(layers, bounds(map_id), groups("zh"), MAP_TEXTS["zh"]))
    for registry_layer in layers_for_map(map_id):
        assert f'"id": "{registry_layer.id}"' in html
        assert registry_layer.style.color in html
    assert "图层与图例" in html


@pytest.mark.parametrize("map_id", MAPS)
def test_no_script_style_or_font_from_another_host(map_id):
    html = render(build_map(map_layers(map_id, "en"), bounds(map_id), groups("en"), MAP_TEXTS["en"]))
    assert re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', html) == []
    assert "/app/static/vendor/leaflet/leaflet.js" in html


def test_text_from_data_is_escaped():
    frame = gpd.GeoDataFrame({"label": [HOSTILE], "feature_id": ["</script><script>alert(2)"]},
                             geometry=[Point(120.2, 30.25)], crs=4326)
    layer = MapLayer("hostile", f"{HOSTILE}</script>", "1", frame, "#000",
                     properties=["feature_id"])
    html = render(build_map([layer], (120, 30, 121, 31), [("1", HOSTILE)], MAP_TEXTS["zh"]))
    assert "<img src=x" not in html
    # escaped for HTML, then for JSON by folium (& as \u0026): the tooltip shows it as text
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html
    assert "</script><script>alert(2)" not in html


def test_amap_basemap_shifts_the_overlays_to_gcj02():
    plain = map_layers("annex2", "zh")
    shifted = map_layers("annex2", "zh", gcj02=True)
    a = plain[2].frame.geometry.iloc[0]  # core zone, 钱江新城
    b = shifted[2].frame.geometry.iloc[0]
    x, y = wgs84_to_gcj02(*shapely.get_coordinates(a).T)
    assert np.allclose(np.column_stack([x, y]), shapely.get_coordinates(b), atol=1e-9)
    metres = np.hypot((b.centroid.x - a.centroid.x) * 96000, (b.centroid.y - a.centroid.y) * 111000)
    assert 300 < metres < 700
    # the stored data stay WGS84
    stored = load_layer("core_zone").located.geometry.iloc[0]
    assert stored.representative_point().within(stored)
    assert not shapely.equals(stored, b)


def test_display_simplification_keeps_shared_borders_and_trims_precision():
    districts = load_layer("districts").located
    together = for_display(districts, 0.0015, coverage=True)
    alone = for_display(districts, 0.0015, coverage=False)
    assert shapely.coverage_is_valid(together.geometry.values)
    assert not shapely.coverage_is_valid(alone.geometry.values)  # what coverage=True avoids
    coords = shapely.get_coordinates(together.geometry.values)
    assert np.allclose(coords, np.round(coords, 5))
    assert len(coords) < shapely.get_coordinates(districts.geometry.values).shape[0] / 3


def test_online_basemaps_are_opt_in_and_tianditu_needs_a_token():
    assert tiles("none") is None
    with pytest.raises(ValueError, match="token"):
        tiles("tianditu")
    assert "tk=abc" in tiles("tianditu", "abc")["url"]
    assert tiles("amap")["datum"] == "gcj02"


def test_the_map_script_writes_text_as_text():
    # Names are data (a layer file, an upload): geo/webmap.js sets them with textContent or text
    # nodes, never as HTML, so that a name like HOSTILE runs nothing.
    script = (Path(__file__).resolve().parents[1] / "geo" / "webmap.js").read_text(encoding="utf-8")
    assignments = re.findall(r"\.innerHTML\s*=\s*(.)", script)
    assert assignments and set(assignments) <= {"'", "I"}  # a literal or ICONS[...]: constant SVG
    assert len(re.findall(r"\.innerHTML\s*=\s*ICONS\[", script)) == assignments.count("I")
    assert script.count("innerHTML") == len(assignments)  # no other use (+=, reads into HTML)
    assert "insertAdjacentHTML" not in script and "outerHTML" not in script
    assert "document.write" not in script and ".html(" not in script


@pytest.mark.parametrize("map_id", ["annex1", "annex2"])
def test_a_kept_map_drawn_again_and_again_is_folium_s_own_page(map_id, monkeypatch):
    """The page keeps each map and draws a copy of it on every run; its layers make their
    script once (geo.webmap._Layer). Every copy, and the kept map itself, still gives the page
    that folium's own GeoJson gives: features, styles, tooltips and the line that adds each
    layer to the map."""
    import copy

    import folium

    import geo.webmap

    def pages(fmap) -> list[str]:
        drawn = [copy.deepcopy(fmap).get_root().render() for _ in range(3)]
        drawn += [fmap.get_root().render() for _ in range(2)]
        return [re.sub(r"_[0-9a-f]{32}", "_ID", html) for html in drawn]

    def built():
        return build_map(map_layers(map_id, "zh"), bounds(map_id), groups("zh"), MAP_TEXTS["zh"])

    ours = pages(built())
    monkeypatch.setattr(geo.webmap, "_Layer", folium.GeoJson)
    expected = pages(built())
    assert ours == expected
    assert ours[2].count(".addTo(map_ID)") == expected[0].count(".addTo(map_ID)") > 5


def test_a_kept_map_makes_its_layers_script_once(monkeypatch):
    """Copies of a kept map share its layers' script: drawing a copy again neither styles the
    features again nor writes them out again (what made each run of a map page slow)."""
    import copy

    import folium

    layer = map_layers("annex2", "zh")[0]
    styled, written = [], []
    real_script = folium.GeoJson._template.module.script
    monkeypatch.setattr(folium.GeoJson._template.module, "script",
                        lambda this, kwargs: written.append(1) or real_script(this, kwargs))
    kept = build_map([layer], bounds("annex2"), groups("zh"), MAP_TEXTS["zh"])
    geojson = next(c for c in kept._children.values() if isinstance(c, folium.GeoJson))
    real_style = geojson.style_function
    geojson.style_function = lambda f: styled.append(1) or real_style(f)
    first = copy.deepcopy(kept).get_root().render()
    assert len(styled) == len(layer.frame) and len(written) == 1
    again = [copy.deepcopy(kept).get_root().render() for _ in range(3)]
    assert len(styled) == len(layer.frame) and len(written) == 1  # nothing made again
    assert all(page.count(".addTo(") == first.count(".addTo(") == 1 for page in again)
