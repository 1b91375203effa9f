"""geo/crs.py against values that do not come from geo/crs.py.

The round trips in test_geometry.py only show that each conversion undoes its own partner: a
wrong constant on both sides (BD-09's 0.0065, GCJ-02's Krasovsky axis) would survive them.
Here the expected values come from outside:

* ``prcoords`` (PyPI, public domain, pinned in requirements-dev.txt): a separate
  implementation of the GCJ-02 and BD-09 formulas, on a few thousand points over Zhejiang;
* coordinate pairs published in other projects' READMEs and tests (URLs beside each);
* for EPSG:4549 (CGCS2000 3-degree Gauss-Kruger, central meridian 120E), hand checks: the
  central meridian at the equator is (500000, 0), the northing on the central meridian is the
  meridian arc (integrated here), and elsewhere the Krueger series written out below.
"""

import math

import geopandas as gpd
import numpy as np
import prcoords  # test-only, pinned in requirements-dev.txt
import pytest
import shapely
from pyproj import Transformer

import geo.crs as crs
from geo.io import read_vector

# A few thousand points over Zhejiang (lon 118-123, lat 27-31.3), the same on every run.
RNG = np.random.default_rng(20211231)
LON = RNG.uniform(118.0, 123.0, 3000)
LAT = RNG.uniform(27.0, 31.3, 3000)

SAME_FORMULA = 1e-9  # degrees: two codings of one formula differ by rounding only (~1e-14)
EXACT = 1e-9  # degrees (~0.1 mm): forward(inverse(p)) must give p back
ONE_STEP = 1e-5  # degrees (~1 m): a published value computed with a one-step inverse


def independent(func, lon, lat):
    """Apply a prcoords function (which takes and returns (lat, lon)) to lon/lat arrays."""
    out = np.array([func((float(y), float(x))) for x, y in zip(np.ravel(lon), np.ravel(lat))])
    return out[:, 1], out[:, 0]


def ind_wgs_gcj(lon, lat):
    return independent(lambda p: prcoords.wgs_gcj(p, False), lon, lat)


def ind_gcj_bd(lon, lat):
    return independent(prcoords.gcj_bd, lon, lat)


def ind_wgs_bd(lon, lat):
    return ind_gcj_bd(*ind_wgs_gcj(lon, lat))


def assert_close(got, expected, tol):
    got = np.asarray(got, dtype=float).ravel()
    expected = np.asarray(expected, dtype=float).ravel()
    worst = np.abs(got - expected).max()
    assert worst <= tol, f"differs by up to {worst:.3g} degrees (tolerance {tol:g})"


# -- GCJ-02 and BD-09 against prcoords ----------------------------------------------------------

def test_wgs84_to_gcj02_is_the_published_formula():
    for got, expected in zip(crs.wgs84_to_gcj02(LON, LAT), ind_wgs_gcj(LON, LAT)):
        assert_close(got, expected, SAME_FORMULA)


def test_gcj02_to_bd09_is_the_published_formula():
    for got, expected in zip(crs.gcj02_to_bd09(LON, LAT), ind_gcj_bd(LON, LAT)):
        assert_close(got, expected, SAME_FORMULA)
    for got, expected in zip(crs.wgs84_to_bd09(LON, LAT), ind_wgs_bd(LON, LAT)):
        assert_close(got, expected, SAME_FORMULA)


@pytest.mark.parametrize("inverse, forward", [
    (crs.gcj02_to_wgs84, ind_wgs_gcj),
    (crs.bd09_to_gcj02, ind_gcj_bd),
    (crs.bd09_to_wgs84, ind_wgs_bd),
])
def test_inverse_is_exact_under_the_independent_forward(inverse, forward):
    # The inverses iterate to the exact inverse: the independent forward of their result must
    # give the input back, far more closely than a one-step inverse (~1e-6 degrees) would.
    for got, expected in zip(forward(*inverse(LON, LAT)), (LON, LAT)):
        assert_close(got, expected, EXACT)


def test_inverse_agrees_with_the_independent_iterative_inverse():
    # prcoords' "bored" inverses iterate until the step is below 1e-5 degrees: within ~1e-7.
    for got, expected in zip(crs.gcj02_to_wgs84(LON, LAT),
                             independent(lambda p: prcoords.gcj_wgs_bored(p, False), LON, LAT)):
        assert_close(got, expected, 1e-7)
    for got, expected in zip(crs.bd09_to_gcj02(LON, LAT),
                             independent(prcoords.bd_gcj_bored, LON, LAT)):
        assert_close(got, expected, 1e-7)


# -- published pairs ---------------------------------------------------------------------------

# (conversion, input lon/lat, published output lon/lat, tolerance)
PUBLISHED = [
    # https://github.com/wandergis/coordtransform/blob/242324636adb54f9d1ef571035dc61f0ac8f0e8c/test/app.js
    ("wgs84_to_gcj02", (116.404, 39.915), (116.41024449916938, 39.91640428150164), SAME_FORMULA),
    ("gcj02_to_bd09", (116.404, 39.915), (116.41036949371029, 39.92133699351021), SAME_FORMULA),
    # (their bd09togcj02 and gcj02towgs84 are one-step inverses, so only to ~1 m)
    ("bd09_to_gcj02", (116.404, 39.915), (116.39762729119315, 39.90865673957631), ONE_STEP),
    ("gcj02_to_wgs84", (116.404, 39.915), (116.39775550083061, 39.91359571849836), ONE_STEP),
    # https://github.com/googollee/eviltransform/blob/3416646abc64972e899118271bd98030224d9d6c/python/test.py
    # (given there as lat, lng: Shanghai, Shenzhen, Beijing)
    ("wgs84_to_gcj02", (121.5272106, 31.1774276), (121.531541859215, 31.17530398364597), SAME_FORMULA),
    ("wgs84_to_gcj02", (113.912316, 22.543847), (113.9171764808363, 22.540796131694766), SAME_FORMULA),
    ("wgs84_to_gcj02", (116.377817, 39.911954), (116.38404722455657, 39.91334545536069), SAME_FORMULA),
    # https://github.com/hujiulong/gcoord/blob/cf7f70bbf2bf954695f555844c43c4d00919c94d/test/unit/crs/GCJ02.spec.js
    # (checked there to 5 decimals)
    ("gcj02_to_wgs84", (123.0, 45.0), (122.99395597, 44.99804071), 1e-5),
    ("gcj02_to_bd09", (123.0, 45.0), (123.00636499, 45.00636899), 1e-7),
    # https://github.com/Glatzel/pyxis/blob/62cd047d23dbf6817517ca8c3565b025830e73e9/python/tests/test_crypto.py
    # A point in Zhejiang (Pinghu, Jiaxing). That project scales the GCJ-02 shift with the
    # WGS84 semi-major axis instead of Krasovsky's, which moves a point by ~1 cm (8e-8 degrees).
    ("wgs84_to_gcj02", (121.0917077, 30.6107779), (121.09626935575027, 30.608604331756705), 2e-7),
    ("gcj02_to_bd09", (121.09626935575027, 30.608604331756705), (121.10271732371203, 30.61484572185035),
     SAME_FORMULA),
    ("wgs84_to_bd09", (121.0917077, 30.6107779), (121.10271732371203, 30.61484572185035), 2e-7),
    ("bd09_to_wgs84", (121.10271732371203, 30.61484572185035), (121.0917077, 30.6107779), 2e-7),
]


@pytest.mark.parametrize("name, given, published, tol", PUBLISHED,
                         ids=[f"{p[0]}{p[1]}" for p in PUBLISHED])
def test_published_pairs(name, given, published, tol):
    assert_close(getattr(crs, name)(*given), published, tol)


# -- the names a planner types, and spatial files ----------------------------------------------

@pytest.mark.parametrize("name, forward", [
    ("gcj02", ind_wgs_gcj), ("GCJ02", ind_wgs_gcj), (" gcj02 ", ind_wgs_gcj),
    ("bd09", ind_wgs_bd), ("BD09", ind_wgs_bd),
])
def test_xy_to_wgs84_by_name(name, forward):
    truth_lon, truth_lat = LON[:200], LAT[:200]
    x, y = forward(truth_lon, truth_lat)
    lon, lat = crs.xy_to_wgs84(x, y, name)
    assert_close(lon, truth_lon, EXACT)
    assert_close(lat, truth_lat, EXACT)


def shapes_in(forward):
    """A point, a line and a polygon over Zhejiang, true (WGS84) and as ``forward`` gives them."""
    truth = [shapely.Point(120.2082401, 30.2580532),
             shapely.LineString([(120.0, 30.0), (121.5, 29.9), (122.1, 30.0)]),
             shapely.box(119.0, 28.5, 119.6, 29.1)]
    return truth, [crs.transform_geometry(g, forward) for g in truth]


@pytest.mark.parametrize("declared", [None, "EPSG:4326"])
@pytest.mark.parametrize("name, forward", [("gcj02", ind_wgs_gcj), ("bd09", ind_wgs_bd)])
def test_to_wgs84_converts_a_frame_in_gcj02_or_bd09(name, forward, declared):
    # A frame exported from Amap or Baidu: it may declare no CRS, or (wrongly) WGS84.
    truth, shifted = shapes_in(forward)
    frame = gpd.GeoDataFrame({"name": ["p", "l", "a"]}, geometry=shifted, crs=declared)
    out = crs.to_wgs84(frame, name)
    assert out.crs.to_epsg() == 4326
    for got, want in zip(out.geometry, truth):
        assert_close(shapely.get_coordinates(got), shapely.get_coordinates(want), EXACT)
    # ...and not merely relabelled: the shift is hundreds of metres
    assert shapely.get_coordinates(out.geometry.iloc[0])[0, 0] != pytest.approx(
        shifted[0].x, abs=1e-3)


@pytest.mark.parametrize("name, forward", [("gcj02", ind_wgs_gcj), ("bd09", ind_wgs_bd)])
def test_read_vector_converts_a_gcj02_or_bd09_file(tmp_path, name, forward):
    truth, shifted = shapes_in(forward)
    gpd.GeoDataFrame({"name": ["p", "l", "a"]}, geometry=shifted, crs=4326).to_file(
        tmp_path / "amap.geojson", driver="GeoJSON")
    out = read_vector(tmp_path / "amap.geojson", crs=name)
    for got, want in zip(out.geometry, truth):
        assert_close(shapely.get_coordinates(got), shapely.get_coordinates(want), EXACT)


# -- EPSG:4549, CGCS2000 3-degree Gauss-Kruger, central meridian 120E --------------------------

A = 6378137.0  # CGCS2000 ellipsoid
F = 1 / 298.257222101
E2 = F * (2 - F)


def meridian_arc(lat_deg: float) -> float:
    """Distance along the meridian from the equator, by Gauss-Legendre quadrature of the
    radius of curvature M(phi) = a (1 - e^2) / (1 - e^2 sin^2 phi)^(3/2)."""
    nodes, weights = np.polynomial.legendre.leggauss(40)
    phi = math.radians(lat_deg)
    t = (nodes + 1) * phi / 2
    return float(np.sum(weights * A * (1 - E2) / (1 - E2 * np.sin(t) ** 2) ** 1.5) * phi / 2)


def krueger(lon_deg, lat_deg, lon0=120.0, false_easting=500000.0):
    """Transverse Mercator (k0 = 1) by Krueger's series to n^4 (Karney 2011, "Transverse
    Mercator with an accuracy of a few nanometers", eqs. 7-9, 35): sub-millimetre this close to
    the central meridian. https://en.wikipedia.org/wiki/Transverse_Mercator_projection"""
    n = F / (2 - F)
    big_a = A / (1 + n) * (1 + n ** 2 / 4 + n ** 4 / 64)
    alpha = [n / 2 - 2 * n ** 2 / 3 + 5 * n ** 3 / 16 + 41 * n ** 4 / 180,
             13 * n ** 2 / 48 - 3 * n ** 3 / 5 + 557 * n ** 4 / 1440,
             61 * n ** 3 / 240 - 103 * n ** 4 / 140,
             49561 * n ** 4 / 161280]
    e = math.sqrt(E2)
    phi = np.radians(np.asarray(lat_deg, dtype=float))
    lam = np.radians(np.asarray(lon_deg, dtype=float) - lon0)
    t = np.sinh(np.arctanh(np.sin(phi)) - e * np.arctanh(e * np.sin(phi)))
    xi = np.arctan2(t, np.cos(lam))
    eta = np.arctanh(np.sin(lam) / np.sqrt(1 + t * t))
    east, north = eta.copy(), xi.copy()
    for j, a_j in enumerate(alpha, start=1):
        east += a_j * np.cos(2 * j * xi) * np.sinh(2 * j * eta)
        north += a_j * np.sin(2 * j * xi) * np.cosh(2 * j * eta)
    return false_easting + big_a * east, big_a * north


def test_krueger_series_passes_the_hand_checks():
    # The check's own check: on the central meridian the series gives the meridian arc.
    assert krueger(120.0, 0.0) == pytest.approx((500000.0, 0.0), abs=1e-6)
    assert krueger(120.0, 30.0)[1] == pytest.approx(meridian_arc(30.0), abs=1e-4)
    assert meridian_arc(90.0) == pytest.approx(10001965.729, abs=1e-3)  # GRS80 quadrant


def test_epsg_4549_central_meridian():
    assert crs.METRIC == "EPSG:4549"
    lon, lat = crs.xy_to_wgs84(np.array([500000.0]), np.array([0.0]), "EPSG:4549")
    assert (lon[0], lat[0]) == pytest.approx((120.0, 0.0), abs=1e-9)
    lon, lat = crs.xy_to_wgs84(np.array([500000.0]), np.array([meridian_arc(30.0)]), crs.METRIC)
    assert (lon[0], lat[0]) == pytest.approx((120.0, 30.0), abs=1e-9)


def test_epsg_4549_over_zhejiang():
    east, north = krueger(LON, LAT)
    # reading coordinates given in EPSG:4549 (tables, spatial files)...
    lon, lat = crs.xy_to_wgs84(east, north, "EPSG:4549")
    assert_close(lon, LON, 1e-9)
    assert_close(lat, LAT, 1e-9)
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(east[:100], north[:100]))
    out = crs.to_wgs84(frame, "EPSG:4549")
    assert_close(out.geometry.x, LON[:100], 1e-9)
    assert_close(out.geometry.y, LAT[:100], 1e-9)
    # ...and the metric CRS that areas and distances are measured in
    x, y = Transformer.from_crs(crs.WGS84, crs.METRIC, always_xy=True).transform(LON, LAT)
    assert np.abs(x - east).max() < 1e-3 and np.abs(y - north).max() < 1e-3


def test_a_system_without_an_epsg_code_is_refused_with_what_to_give():
    # A custom transverse Mercator (a city's own grid), as a PROJ string: no EPSG code.
    with pytest.raises(ValueError, match=r"has no EPSG code; give one as EPSG:n"):
        crs.normalize_crs("+proj=tmerc +lon_0=120.3 +k=1 +x_0=50000 +ellps=GRS80 +units=m")
    with pytest.raises(ValueError, match=r"^Unknown coordinate system 'EPSG:99999'"):
        crs.normalize_crs("EPSG:99999")
