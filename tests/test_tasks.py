"""The tasks and Annex 5 items on the map: where each is (data/features.csv and the registry),
which cities it concerns, and a map of its places fitted to them."""

import json
import re

from layers.links import places_of
from layers.maps import places_map
from layers.progress import item_cities, items


def test_an_item_is_where_the_plan_ties_it():
    # Annex 5 三4: 南太湖绿色金融中心, in 湖州市 (三(四)3); its three key projects have no place
    assert places_of("J4") == [("key_projects", "kp_ntjrj"), ("key_projects", "kp_lsyq"),
                               ("key_projects", "kp_lsds"), ("six_cities", "city_huz"),
                               ("major_projects", "mp_nth")]
    # 三(三)1 belongs to the belts layer as a whole (registry), and to the G60 belt
    assert ("belts", "belt_g60") in places_of("三(三)1")
    assert places_of("R1") == []  # 深化农村信用社改革试点省: a reform with no place


def test_an_item_concerns_the_cities_of_its_units_and_places():
    assert item_cities("三(三)3") == ["湖州市", "衢州市"]  # 湖州、衢州市政府 (三(三)3)
    assert item_cities("R2") == ["杭州市", "嘉兴市"]  # 杭州、嘉兴市政府 (附件5 一2)
    assert item_cities("R1") == []
    assert {i for i in items() if "宁波市" in item_cities(i)} >= {"三(四)2", "三(二)1", "三(三)4"}


def test_the_map_of_an_item_shows_only_its_located_places_fitted_to_them():
    html = places_map(places_of("J4"), "zh").get_root().render()
    assert "南太湖绿色金融中心" in html and "南太湖金融街" not in html  # placed nowhere: not drawn
    (south, west), (north, east) = json.loads(re.search(r'"bounds": (\[\[.*?\]\])', html).group(1))
    # 湖州市 (about 119.2-120.5 E, 30.4-31.2 N) with a margin, not the whole province
    assert 118.9 < west < 119.4 and 120.3 < east < 120.9 and 30.1 < south < 30.5 and 30.9 < north < 31.4
    assert places_map(places_of("R1"), "zh") is None
