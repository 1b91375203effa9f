"""附件2 核心区拥江扩面示意图: the river, the core zone, its extension, the financial cities."""

from pages.common import map_page

map_page("annex2")
