"""钱塘江金融港湾规划图 served: app.py, with Streamlit's own front-end files kept in memory and
the memory of closed sessions handed back.

    streamlit run serve.py        (./scripts/run does this)

The same app as `streamlit run app.py`; a browser's first visit costs the server less
(web/kept.py), and the server's memory returns to its level once the sessions close
(web/memory.py).
"""

from starlette.middleware import Middleware

import streamlit as st
from web.kept import Kept
from web.memory import GiveBack, fewer_arenas

fewer_arenas()
app = st.App("app.py", middleware=[Middleware(GiveBack), Middleware(Kept)])
