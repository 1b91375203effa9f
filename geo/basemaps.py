"""Optional online basemaps. None is used unless the user turns one on: the default map is
drawn from the app's own vector data and makes no request to any other host."""

from __future__ import annotations

BASEMAPS = {
    "osm": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "attribution": "© OpenStreetMap contributors", "subdomains": "abc", "datum": "wgs84"},
    "tianditu": {"url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
                        "&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
                        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={token}",
                 "attribution": "© 天地图 Tianditu", "subdomains": "01234567", "datum": "wgs84"},
    # Amap tiles are drawn in GCJ-02: overlays must be shifted to GCJ-02 to line up.
    "amap": {"url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
                    "&style=8&x={x}&y={y}&z={z}",
             "attribution": "© 高德 Amap", "subdomains": "1234", "datum": "gcj02"},
}


def tiles(name: str, token: str | None = None) -> dict | None:
    """Tile settings for ``name`` ("none" gives None). Tianditu needs a token."""
    if name == "none":
        return None
    spec = dict(BASEMAPS[name])
    if "{token}" in spec["url"]:
        if not token:
            raise ValueError("天地图 needs a token: set TIANDITU_TOKEN or [tianditu] token in "
                             ".streamlit/secrets.toml")
        spec["url"] = spec["url"].replace("{token}", token)
    return spec
