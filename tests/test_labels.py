"""Names on the map (geo/labels.py): sizes, zooms and anchors against hand-computed values."""

import math

import geopandas as gpd
import pytest
import shapely
from shapely import affinity

from geo.labels import longest_name, place_labels, text_width, two_lines, zoom_for

MERCATOR = "EPSG:3857"


def frame(geoms, texts, crs=MERCATOR):
    return gpd.GeoDataFrame({"name": texts}, geometry=list(geoms), crs=crs)


def test_text_width_counts_a_cjk_character_as_one_em_and_latin_as_about_half():
    assert text_width("钱江新城", 13) == 52
    assert text_width("Bank", 10) == pytest.approx(22.4)
    assert text_width("G60 走廊", 10) == pytest.approx(20 + 4 * 5.6)


def test_zoom_for_matches_web_mercator_resolution():
    # At zoom z a pixel is 40075016.686 / 256 / 2**z metres: 1000 m over 100 px at z = 13.934.
    assert zoom_for(1000, 100) == pytest.approx(math.log2(100 * 40075016.686 / 256 / 1000), abs=1e-6)
    assert zoom_for(1000, 100) == pytest.approx(13.934, abs=1e-3)
    assert zoom_for(0, 100) == 18


def test_an_area_is_named_at_its_centre_from_the_zoom_where_the_name_fits():
    square = shapely.box(0, 0, 10_000, 10_000)  # 10 km, centred at 5 km
    (label,) = place_labels(frame([square], ["钱江新城"]), "name", font_px=13)
    lng, lat = shapely.get_coordinates(gpd.GeoSeries([shapely.Point(5000, 5000)], crs=MERCATOR)
                                       .to_crs(MERCATOR))[0]
    assert (label["lng"], label["lat"]) == (round(lng, 5), round(lat, 5))
    # The room is 10 km across; the name needs 52 + 13 px.
    assert label["minZoom"] == pytest.approx(round(zoom_for(10_000, 65), 2))
    assert label["point"] is False and label["angle"] == 0
    (half,) = place_labels(frame([square], ["钱江新城"]), "name", font_px=13, fit=0.5)
    assert half["minZoom"] == pytest.approx(label["minZoom"] - 1, abs=0.01)


def test_a_point_is_named_at_the_zoom_given():
    (label,) = place_labels(frame([shapely.Point(120.2, 30.25)], ["南湖基金小镇"], "EPSG:4326"),
                            "name", point_min_zoom=9)
    assert label["point"] is True and label["minZoom"] == 9 and label["angle"] == 0
    assert (label["lng"], label["lat"]) == (120.2, 30.25)


def test_a_long_corridor_is_named_along_it():
    corridor = affinity.rotate(shapely.box(0, 0, 40_000, 2_000), 30, origin=(0, 0))
    (label,) = place_labels(frame([corridor], ["G60"]), "name", along=True)
    assert label["angle"] == pytest.approx(30, abs=0.5)
    (across,) = place_labels(frame([corridor], ["G60"]), "name")
    assert across["angle"] == 0 and across["minZoom"] > label["minZoom"]  # 2 km across, 40 along


def test_a_river_name_repeats_once_per_square():
    river = shapely.box(0, 0, 30_000, 1_000)  # 30 km: five 6 km squares
    labels = place_labels(frame([river], ["钱塘江"]), "name", along=True, repeat_m=6000)
    assert len(labels) == 6  # the whole river, then each square
    assert [round(x["lng"], 3) for x in labels[1:]] == sorted(round(x["lng"], 3) for x in labels[1:])


def test_ranked_then_larger_first_and_empty_names_skipped():
    big, small = shapely.box(0, 0, 9000, 9000), shapely.box(0, 0, 3000, 3000)
    labels = place_labels(frame([small, big, small], ["小", "大", ""]), "name", rank=2)
    assert [x["text"] for x in labels] == ["大", "小"]
    assert all(x["rank"] == 2 for x in labels)
    assert place_labels(frame([], []), "name") == []


def test_defaults_sizes_and_rounding():
    (label,) = place_labels(frame([shapely.Point(120.123456789, 30.987654321)], ["南湖"],
                                  "EPSG:4326"), "name")
    assert (label["lng"], label["lat"]) == (120.12346, 30.98765)  # about 1 m
    assert (label["rank"], label["style"], label["minZoom"]) == (0, "", 0)
    assert (label["w"], label["h"]) == (26, 17)  # 2 × 13 px wide, 1.3 lines high
    (styled,) = place_labels(frame([shapely.Point(0, 0)], ["A"]), "name", style="zone", font_px=20)
    assert (styled["style"], styled["w"], styled["h"]) == ("zone", 11, 26)
    assert len(place_labels(frame([shapely.box(0, 0, 30_000, 1_000)], ["x"]), "name")) == 1


def test_a_huge_area_is_named_from_zoom_zero():
    (label,) = place_labels(frame([shapely.box(0, 0, 1e7, 1e7)], ["大"]), "name")
    assert label["minZoom"] == 0


def test_the_largest_part_carries_the_name():
    small, big = shapely.box(0, 0, 1000, 1000), shapely.box(50_000, 0, 60_000, 10_000)
    (label,) = place_labels(frame([shapely.MultiPolygon([small, big])], ["岛"]), "name")
    lng, _ = shapely.get_coordinates(gpd.GeoSeries([shapely.Point(55_000, 5000)], crs=MERCATOR)
                                     .to_crs(MERCATOR))[0]
    assert label["lng"] == pytest.approx(lng, abs=1)
    (first,) = place_labels(frame([shapely.MultiPoint([(1, 2), (3, 4)])], ["p"]), "name")
    assert (first["lng"], first["lat"], first["point"]) == (1, 2, True)


@pytest.mark.parametrize("turn, angle", [(0, 0), (30, 30), (120, -60), (-60, -60), (90, 90),
                                         (-90, 90), (179, -1), (90.5, -89.5), (-90.5, 89.5),
                                         (30.26, 30.3)])
def test_along_angles_read_left_to_right(turn, angle):
    corridor = affinity.rotate(shapely.box(0, 0, 40_000, 2_000), turn, origin=(0, 0))
    (label,) = place_labels(frame([corridor], ["G60"]), "name", along=True)
    assert label["angle"] == angle  # to a tenth of a degree


def test_a_bent_band_is_named_inside_it():
    # A C-shaped band: its centroid lies in the gap, outside the band.
    band = shapely.box(0, 0, 20_000, 10_000).difference(shapely.box(2_000, 2_000, 20_000, 8_000))
    (label,) = place_labels(frame([band], ["江"]), "name", along=True)
    anchor = gpd.GeoSeries.from_xy([label["lng"]], [label["lat"]], crs=MERCATOR).iloc[0]
    assert band.buffer(1).contains(anchor)


def test_along_a_corridor_the_room_is_the_stretch_around_the_anchor():
    # 2 km wide: the anchor is 1 km from the edges, and the stretch looked at is 12 widths
    # of that either side: 24 km of the 40.
    corridor = shapely.box(0, 0, 40_000, 2_000)
    (label,) = place_labels(frame([corridor], ["G60"]), "name", along=True, font_px=10)
    assert label["minZoom"] == pytest.approx(round(zoom_for(24_000, text_width("G60", 10) + 10), 2))


def test_repeats_skip_small_ends_and_work_away_from_the_origin():
    river = shapely.box(100_000, 50_000, 131_000, 51_000)  # five full squares and a 1 km end
    labels = place_labels(frame([river], ["钱塘江"]), "name", along=True, repeat_m=6000)
    assert len(labels) == 6
    tall = shapely.box(100_000, 50_000, 101_000, 74_000)  # upright: four squares up
    assert len(place_labels(frame([tall], ["江"]), "name", along=True, repeat_m=6000)) == 5


def test_missing_geometry_and_empty_names_are_skipped_and_order_is_by_area():
    thin, square = shapely.box(0, 0, 100_000, 100), shapely.box(0, 0, 5000, 5000)
    labels = place_labels(frame([None, shapely.Polygon(), thin, square, square],
                                ["无", "空", "细", "", "方"]), "name")
    assert [x["text"] for x in labels] == ["方", "细"]  # 25 km² before 10 km²


def test_a_long_name_of_several_words_goes_on_two_lines_split_near_its_middle():
    assert two_lines("Qianjiang New City", 13) == ["Qianjiang", "New City"]
    assert two_lines("Binjiang extension of Qiantang Financial City", 13) == [
        "Binjiang extension of", "Qiantang Financial City"]
    assert two_lines("Hangzhou", 13) == ["Hangzhou"]  # one word: never split
    assert two_lines("钱塘江金融城宁波东部新城", 13) == ["钱塘江金融城宁波东部新城"]  # no space
    assert two_lines("Shangcheng District", 13, longest_px=200) == ["Shangcheng District"]  # fits


def test_a_two_line_label_is_as_wide_as_its_longer_line_and_twice_as_high():
    frame = gpd.GeoDataFrame({"name": ["Qianjiang New City"]},
                             geometry=[shapely.box(120.0, 30.0, 120.1, 30.1)], crs="EPSG:4326")
    label = place_labels(frame, "name", font_px=10)[0]
    assert label["lines"] == ["Qianjiang", "New City"]
    assert label["w"] == round(9 * 0.56 * 10)  # "Qianjiang": nine half-em characters
    assert label["h"] == 26  # two lines of 1.3 em


@pytest.mark.parametrize("back, ahead, fit, longest", [
    (20_000, 20_000, 0.5, 80_000),  # centred: half inside while it is at most twice the stretch
    (0, 40_000, 0.5, 80_000),  # at the tip: half of it inside, the other half past the tip
    (10_000, 30_000, 1.0, 20_000),  # all inside: no longer than twice the nearer end
    (10_000, 30_000, 0.75, 40_000),  # three quarters inside: past the nearer end only
    (5_000, 5_000, 0, float("inf")),
])
def test_the_longest_name_a_place_on_a_stretch_takes(back, ahead, fit, longest):
    assert longest_name(back, ahead, fit) == pytest.approx(longest)
    if longest != float("inf"):  # just longer, and less than that share is inside
        w = longest * 1.01
        near, far = sorted((back, ahead))
        assert min(w / 2, near) + min(w / 2, far) < fit * w


def test_a_corridor_name_has_other_places_along_it_on_two_lines_and_smaller():
    corridor = affinity.rotate(shapely.box(0, 0, 40_000, 2_000), 30, origin=(0, 0))
    (label,) = place_labels(frame([corridor], ["G60 Corridor Sci-Tech Finance Belt"]), "name",
                            along=True, fit=0.5, font_px=13)
    alts = label["alts"]
    assert label["across"] == 1000  # half the width
    assert alts[0]["lines"] == ["G60 Corridor", "Sci-Tech Finance Belt"]  # first: folded in place
    assert (alts[0]["lat"], alts[0]["lng"]) == (label["lat"], label["lng"])
    assert alts[0]["minZoom"] < label["minZoom"]  # a shorter line fits the band sooner
    assert {a.get("font", 13) for a in alts} == {13, 11}
    assert [a.get("font", 13) for a in alts] == sorted((a.get("font", 13) for a in alts), reverse=True)
    places = {(a["lng"], a["lat"]) for a in alts}
    assert len(places) == 9  # the label's own place and eight others, the tips among them
    spots = gpd.GeoSeries.from_xy(*zip(*places), crs=MERCATOR)
    assert corridor.buffer(1).contains(spots).all()  # every place on the band
    assert all(a["angle"] == pytest.approx(30, abs=0.5) for a in alts)
    tips = [a for a in alts if a.get("end")]
    assert sorted({a["end"] for a in tips}) == [-1, 1]
    for a in tips:  # the tip's place is where the middle line leaves the band
        tip = shapely.Point(a["lng"], a["lat"])
        assert corridor.boundary.distance(tip) < 50
        assert a["across"] == 1000
    # Shown as soon as half of it lies within the straight stretch: as the label itself.
    assert min(a["minZoom"] for a in alts if "lines" not in a and "font" not in a) == pytest.approx(
        label["minZoom"], abs=0.01)


def test_a_name_without_spaces_or_in_small_type_has_no_copies():
    corridor = shapely.box(0, 0, 40_000, 2_000)
    (label,) = place_labels(frame([corridor], ["甬舟海洋金融特色带"]), "name", along=True, font_px=10)
    assert all("lines" not in a and "font" not in a for a in label["alts"])  # 10 px: no smaller
    river = place_labels(frame([corridor], ["钱塘江"]), "name", along=True, repeat_m=6000)
    assert all("alts" not in x and "across" not in x for x in river)  # a river repeats instead


def test_spares_are_other_places_inside_an_area_and_a_long_point_name_folded():
    oblong = shapely.box(0, 0, 30_000, 10_000)  # room 10 km across all along its middle
    (plain,) = place_labels(frame([oblong], ["钱江新城"]), "name")
    assert "spares" not in plain  # only when asked
    (label,) = place_labels(frame([oblong], ["钱江新城"]), "name", spares=6)
    assert 2 <= len(label["spares"]) <= 6
    anchor = shapely.Point(label["lng"], label["lat"])
    for spare in label["spares"]:
        spot = shapely.Point(spare["lng"], spare["lat"])
        assert oblong.contains(spot) and spot.distance(anchor) >= 2500  # half the room apart
        assert oblong.boundary.distance(spot) >= 0.6 * 5000
        assert spare["minZoom"] >= label["minZoom"]  # no more room there: shown no sooner
        assert (spare["w"], spare["h"]) == (label["w"], label["h"])
    (square,) = place_labels(frame([shapely.box(0, 0, 10_000, 10_000)], ["方"]), "name", spares=6)
    assert square["spares"] == []  # a square has no other roomy place
    (point,) = place_labels(frame([shapely.Point(1, 2)], ["Yuhuangshan South Fund Town"]), "name",
                            font_px=12, point_min_zoom=9, spares=6)
    (folded,) = point["spares"]
    assert folded["lines"] == ["Yuhuangshan", "South Fund Town"]  # split nearest its middle
    assert (folded["lng"], folded["lat"], folded["minZoom"]) == (1, 2, 9)
    (short,) = place_labels(frame([shapely.Point(1, 2)], ["南湖"]), "name", spares=6)
    assert "spares" not in short
