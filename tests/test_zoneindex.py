"""The zone index: its grid answers as the exact test does, everywhere; it is kept on disk
and rebuilt when the layers change."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from geo.zoneindex import BORDER, ZoneIndex

ROOT = Path(__file__).resolve().parents[1]


def brute_force(zones: gpd.GeoDataFrame, lon, lat) -> dict[str, list[str]]:
    """The names of each kind at each point, the obvious way: every zone's own geometry (a
    prepared copy; no boxes, no grid) against every point, zones in table order."""
    points = shapely.points(lon, lat)
    out = {kind: [[] for _ in points] for kind in dict.fromkeys(zones["kind"])}
    for kind, name, geom in zip(zones["kind"], zones["name"], zones.geometry):
        geom = shapely.from_wkb(shapely.to_wkb(geom))
        shapely.prepare(geom)
        for i in np.flatnonzero(shapely.intersects(geom, points)):
            out[kind][i].append(name)
    return {kind: [";".join(names) for names in column] for kind, column in out.items()}


@pytest.fixture(scope="module")
def plan_zones():
    from layers.zones import zone_table

    return zone_table()


@pytest.fixture(scope="module")
def plan_index(plan_zones):
    return ZoneIndex(plan_zones)


def test_the_grid_leaves_most_cells_to_the_array_and_marks_the_borders(plan_index):
    grid = plan_index._grid
    assert 0.005 < (grid == BORDER).mean() < 0.05
    # The outer ring is outside every zone: the answer for points beyond the grid.
    ring = np.r_[grid[0], grid[-1], grid[:, 0], grid[:, -1]]
    assert (ring != BORDER).all() and (plan_index._combos[ring] == -1).all()


def test_random_points_get_the_zones_of_the_exact_test(plan_zones, plan_index):
    rng = np.random.default_rng(11)
    lon = np.r_[rng.uniform(118.0, 123.3, 30_000), rng.normal(120.2, 0.08, 20_000)]
    lat = np.r_[rng.uniform(27.0, 31.3, 30_000), rng.normal(30.25, 0.06, 20_000)]
    got = {k: list(v) for k, v in plan_index.query(lon, lat).items()}
    assert got == brute_force(plan_zones, lon, lat)
    assert sum(bool(c) for c in got["core_zone"]) > 500  # the clustered half reaches the core


def test_points_on_every_vertex_and_edge_get_every_zone_they_touch(plan_zones, plan_index):
    rng = np.random.default_rng(12)
    xy = shapely.get_coordinates(plan_zones.geometry.values)
    xy = xy[rng.choice(len(xy), 40_000, replace=False)]
    mid = (xy[:-1] + xy[1:]) / 2  # mostly midpoints of edges; some across a zone
    lon, lat = np.r_[xy[:, 0], mid[:, 0]], np.r_[xy[:, 1], mid[:, 1]]
    got = {k: list(v) for k, v in plan_index.query(lon, lat).items()}
    assert got == brute_force(plan_zones, lon, lat)
    assert any(";" in names for names in got["district"])  # shared vertices: both districts


def test_points_on_the_grid_lines_and_beyond(plan_zones, plan_index):
    # Points exactly on the lines and corners of the grid's cells, NaN, infinities, far away.
    size, (x0, y0) = plan_index._size, plan_index._origin
    i = np.arange(0, plan_index._grid.shape[1], 7)
    j = np.arange(0, plan_index._grid.shape[0], 7)
    gx, gy = np.meshgrid(x0 + i * size, y0 + j * size)
    lon = np.r_[gx.ravel(), np.nan, np.inf, -np.inf, 120.2, 0.0, 200.0, 120.2]
    lat = np.r_[gy.ravel(), 30.2, 30.2, 30.2, np.nan, 0.0, 30.2, -1e300]
    got = {k: list(v) for k, v in plan_index.query(lon, lat).items()}
    finite = np.isfinite(lon) & np.isfinite(lat)
    expected = brute_force(plan_zones, np.where(finite, lon, 0), np.where(finite, lat, 0))
    for kind in got:
        assert got[kind] == [e if f else "" for e, f in zip(expected[kind], finite)]


def test_a_hand_made_case_of_two_districts_and_a_hole():
    # A with a hole, B filling half the hole: points in the hole, on its rim, on B's edges
    # (120.2 is B's east edge, inside the hole: B alone).
    a = Polygon([(120, 30), (120.4, 30), (120.4, 30.4), (120, 30.4)],
                [[(120.1, 30.1), (120.3, 30.1), (120.3, 30.3), (120.1, 30.3)]])
    b = box(120.1, 30.1, 120.2, 30.3)
    zones = gpd.GeoDataFrame({"kind": ["district", "district", "town"], "name": ["A", "B", "T"]},
                             geometry=[a, b, box(120.05, 30.05, 120.15, 30.15)], crs=4326)
    index = ZoneIndex(zones, cells=10_000)
    lon = [120.05, 120.15, 120.25, 120.1, 120.2, 120.3, 120.5, 120.12]
    lat = [30.2, 30.2, 30.2, 30.2, 30.2, 30.2, 30.2, 30.12]
    got = index.query(lon, lat)
    assert list(got["district"]) == ["A", "B", "", "A;B", "B", "A", "", "B"]
    assert list(got["town"]) == ["", "", "", "", "", "", "", "T"]


def test_saved_loaded_and_pickled_it_answers_the_same(plan_index, tmp_path):
    rng = np.random.default_rng(13)
    lon, lat = rng.uniform(119.5, 121.0, 50_000), rng.uniform(29.5, 30.8, 50_000)
    expected = plan_index.query(lon, lat)
    plan_index.save(tmp_path / "index.npz")
    for other in (ZoneIndex.load(tmp_path / "index.npz"), pickle.loads(pickle.dumps(plan_index))):
        got = other.query(lon, lat)
        assert all(list(got[k]) == list(expected[k]) for k in expected)
        assert other.at(120.2116, 30.2468) == plan_index.at(120.2116, 30.2468)


def test_a_file_of_another_format_is_refused(tmp_path):
    np.savez(tmp_path / "old.npz", format=0)
    with pytest.raises(ValueError, match="another format"):
        ZoneIndex.load(tmp_path / "old.npz")


def _run(code: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, check=True)
    return done.stdout.strip()


def test_the_index_is_kept_on_disk_and_rebuilt_when_the_layers_change(tmp_path):
    env = {"HARBOR_CACHE_DIR": str(tmp_path / "cache"),
           "HARBOR_LAYERS_CONFIG": str(tmp_path / "layers.toml")}
    probe = ("import layers.load as load, layers.zones as z\n"
             "calls = []\n"
             "real = load.load_layer\n"
             "z.load_layer = lambda i: calls.append(i) or real(i)\n"
             "print(z.zone_index().query([120.2116], [30.2468])['district'][0], len(calls),"
             " z.index_file().name)")
    first = _run(probe, env).split()
    assert first[0] == "上城区" and int(first[1]) > 0  # built from the layers
    second = _run(probe, env).split()
    assert second == [first[0], "0", first[2]]  # loaded from the file: no layer read
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first[2]]
    (tmp_path / "layers.toml").write_text("# a change\n", "utf-8")
    third = _run(probe, env).split()
    assert third[2] != first[2] and int(third[1]) > 0  # another key: built again
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [third[2]]  # the old one removed
    (tmp_path / "cache" / third[2]).write_bytes(b"damaged")
    assert _run(probe, env).split()[:2] == ["上城区", third[1]]  # a damaged file: built again


def test_no_border_crosses_a_clean_cell_and_each_clean_cell_has_the_zones_of_its_centre(plan_zones):
    # The grid's promise, checked cell by cell on a coarse grid (200,000 cells): every cell
    # not marked as crossed lies wholly off every zone's border, and holds the combination the
    # exact test gives at its centre.
    index = ZoneIndex(plan_zones, cells=200_000)
    ny, nx = index._grid.shape
    size, (x0, y0) = index._size, index._origin
    clean = np.flatnonzero(index._grid.ravel() != BORDER)
    iy, ix = np.divmod(clean, nx)
    boxes = shapely.box(x0 + ix * size, y0 + iy * size, x0 + (ix + 1) * size, y0 + (iy + 1) * size)
    borders = shapely.boundary(plan_zones.geometry.values)
    assert not len(shapely.STRtree(boxes).query(borders, predicate="intersects")[0])
    centre_x, centre_y = x0 + (ix + 0.5) * size, y0 + (iy + 0.5) * size
    expected = brute_force(plan_zones, centre_x, centre_y)
    names = {kind: index._names_for(index._combos, kind)[index._grid.ravel()[clean]]
             for kind in expected}
    for kind in expected:
        assert list(names[kind]) == expected[kind]
    # Just off the borders, both sides, less than a cell away: still the exact answer.
    rng = np.random.default_rng(14)
    xy = shapely.get_coordinates(plan_zones.geometry.values)
    xy = xy[rng.choice(len(xy), 20_000, replace=False)]
    offsets = np.array([(dx, dy) for dx in (-0.6, -0.3, 0.3, 0.6) for dy in (-0.6, 0.0, 0.6)])
    near = (xy[:, None, :] + offsets[None] * size).reshape(-1, 2)
    got = index.query(near[:, 0], near[:, 1])
    assert {k: list(v) for k, v in got.items()} == brute_force(plan_zones, near[:, 0], near[:, 1])


def test_many_zones_at_one_point_and_zones_that_are_points_or_missing():
    # 70 nested squares: more zones at one point than fit in one number (70 × 7 bits); a zone
    # that is a point (no area: the grid's cell size has no area to go by); rows without a
    # geometry or with an empty one are left out; the CRS is kept.
    squares = [box(120 - k * 0.001, 30 - k * 0.001, 120.1 + k * 0.001, 30.1 + k * 0.001)
               for k in range(70)]
    zones = gpd.GeoDataFrame({"kind": ["district"] * 70 + ["town", "town", "town"],
                              "name": [f"Z{k}" for k in range(70)] + ["P", "None", "Empty"]},
                             geometry=[*squares, Point(120.05, 30.05), None, Polygon()], crs=4326)
    index = ZoneIndex(zones, cells=10_000)
    got = index.query([120.05, 120.1005, 121.0], [30.05, 30.05, 30.05])
    assert got["district"][0] == ";".join(f"Z{k}" for k in range(70))
    assert got["district"][1] == ";".join(f"Z{k}" for k in range(1, 70))  # just outside Z0
    assert list(got["town"]) == ["P", "", ""] and got["district"][2] == ""
    assert index.zone_names("town") == ["P"] and index.zones.crs == zones.crs
    alone = ZoneIndex(gpd.GeoDataFrame({"kind": ["town"], "name": ["P"]},
                                       geometry=[Point(120.05, 30.05)], crs=4326))
    assert list(alone.query([120.05, 120.0501], [30.05, 30.05])["town"]) == ["P", ""]


def test_points_whose_zones_differ_only_in_their_fifteenth_zone():
    # 14 squares over both points, a 15th around P alone: the two rows of zones differ only
    # past the bits one number holds; they must not be taken for one combination.
    zones = gpd.GeoDataFrame(
        {"kind": ["district"] * 15, "name": [f"Z{k}" for k in range(15)]},
        geometry=[*(box(120 - k * 0.01, 30 - k * 0.01, 120.2 + k * 0.01, 30.2 + k * 0.01)
                    for k in range(14)), box(120.04, 30.04, 120.06, 30.06)], crs=4326)
    got = ZoneIndex(zones, cells=10_000).query([120.05, 120.15], [30.05, 30.15])["district"]
    assert list(got) == [";".join(f"Z{k}" for k in range(15)), ";".join(f"Z{k}" for k in range(14))]
