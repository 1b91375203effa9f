"""附件3 辐射带动区示意图: the six cities, the four belts, the finance towns."""

from pages.common import map_page

map_page("annex3")
