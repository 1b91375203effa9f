"""演示: the scenes of data/scenes.toml one after another, on the map, for the joint meeting;
and their exports (print pages, atlas, PPTX, standalone HTML), the same files as
`python -m layers.present`."""

import datetime as dt
import io

import streamlit as st
import streamlit.components.v1 as components

from layers.deck import deck_html, write_pptx
from layers.present import PAPERS, print_figure, scene_sheet, write_atlas
from layers.scenes import SCENES, load_scenes
from pages.common import lang, t


@st.cache_data(show_spinner=False, max_entries=4)
def _deck(language: str, _version: float) -> str:
    """The deck's page in one language, as of this version of the scene file."""
    scenes, _ = load_scenes()
    return deck_html(scenes, language)


def _file(kind: str, scene_ids: tuple[str, ...], language: str, paper: str) -> bytes:
    scenes = [s for s in load_scenes()[0] if s.id in scene_ids]
    sheets = [scene_sheet(s, language) for s in scenes]
    out = io.BytesIO()
    bar = st.progress(0.0) if kind in ("atlas", "pptx") else None

    def done(number: int, total: int, title: str) -> None:
        bar.progress(number / total, text=t(f"第 {number}/{total} 个场景：{title}", f"Scene {number}/{total}: {title}"))
    if kind in ("png", "pdf"):
        print_figure(sheets[0], paper).savefig(out, format=kind, dpi=200)
    elif kind == "atlas":
        write_atlas(sheets, out, paper, progress=done)
    elif kind == "pptx":
        write_pptx(scenes, sheets, out, progress=done)
    else:
        out.write(deck_html(scenes, language).encode("utf-8"))
    return out.getvalue()


# No page header or toolbar over the deck; the full-screen button (or F) hides the rest.
st.html("<style>header[data-testid='stHeader']{display:none}"
        ".stMainBlockContainer{padding-top:.6rem}</style>")
scenes, problems = load_scenes()
for problem in problems:
    st.warning(problem.text(lang()))
if not scenes:
    st.error(t(f"场景文件 {SCENES.name} 中没有可以显示的场景。", f"The scene file {SCENES.name} has no scene to show."))
    st.stop()
with st.expander(t("导出：打印页、图集、PPTX、单文件 HTML", "Export: print pages, atlas, PPTX, one HTML file")):
    names = {s.id: f"{n}. {t(s.title_zh, s.title_en)}" for n, s in enumerate(scenes, start=1)}
    kinds = {"png": t("打印页 PNG（200 dpi）", "Print page, PNG (200 dpi)"),
             "pdf": t("打印页 PDF", "Print page, PDF"),
             "atlas": t("图集 PDF（每个场景一页）", "Atlas PDF (a page per scene)"),
             "pptx": t("演示文稿 PPTX（每个场景一张）", "Deck, PPTX (a slide per scene)"),
             "html": t("单文件 HTML（离线，可放 U 盘）", "One HTML file (offline, for a USB stick)")}
    left, middle, right = st.columns([3, 3, 1])
    kind = left.selectbox(t("格式", "Format"), list(kinds), format_func=kinds.get, key="present-kind")
    one = kind in ("png", "pdf")
    chosen = middle.selectbox(t("场景", "Scene"), list(names), format_func=names.get, key="present-scene",
                              disabled=not one, help=t("图集、PPTX 与 HTML 包含全部场景。",
                                                       "The atlas, the PPTX and the HTML hold every scene."))
    paper = right.radio(t("纸张", "Paper"), list(PAPERS), key="present-paper", horizontal=True,
                        disabled=kind in ("pptx", "html"))
    if st.button(t("生成文件", "Make the file"), key="present-make"):
        ids = (chosen,) if one else tuple(s.id for s in scenes)
        with st.spinner(t("正在生成…", "Making the file…")):
            st.session_state["present-file"] = (kind, ids, lang(), paper, _file(kind, ids, lang(), paper))
    made = st.session_state.get("present-file")
    if made and made[:4] == (kind, (chosen,) if one else tuple(s.id for s in scenes), lang(), paper):
        suffix = {"atlas": "pdf"}.get(kind, kind)
        stem = f"{made[1][0]}_{paper}" if one else {"atlas": f"atlas_{paper}", "pptx": "deck", "html": "deck"}[kind]
        mime = {"png": "image/png", "pdf": "application/pdf", "atlas": "application/pdf", "html": "text/html",
                "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}[kind]
        st.download_button(t("下载", "Download"), made[4], file_name=f"harbor_{stem}_{lang()}_{dt.date.today()}.{suffix}",
                           mime=mime, key="present-download")
st.caption(t("→、空格、Page Down：下一个场景；←、Page Up：上一个；F：全屏（Esc 退出）。激光笔翻页器可直接使用。",
             "→, space, Page Down: next scene; ←, Page Up: previous; F: full screen (Esc to leave). "
             "A presenter's clicker works as it is."))
components.html(_deck(lang(), SCENES.stat().st_mtime), height=640)

