"""钱塘江金融港湾规划图 served: app.py, with Streamlit's own front-end files kept in memory.

    streamlit run serve.py        (./scripts/run does this)

The same app as `streamlit run app.py`; only a browser's first visit costs the server less
(web/kept.py).
"""

from starlette.middleware import Middleware

import streamlit as st
from web.kept import Kept

app = st.App("app.py", middleware=[Middleware(Kept)])
