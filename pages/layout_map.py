"""附件1 功能布局图: the whole "1+2+4+6+X" layout over Zhejiang."""

from pages.common import map_page

map_page("annex1")
