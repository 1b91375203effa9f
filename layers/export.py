"""Export the whole dataset for QGIS or ArcGIS.

    python -m layers.export OUTDIR

writes OUTDIR/qiantang_harbor.gpkg (one layer per registry layer; every feature with
name_zh, name_en, source and accuracy) and CSV tables in UTF-8 with BOM, so that Excel opens
them: targets, baselines, harbors, tasks, projects (Annex 5), units, and zone_areas (each
zone's published area beside the area drawn, with sources).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import zipfile
from pathlib import Path

from layers.english import provenance_zh
from layers.extents import area_table
from layers.load import load_all
from layers.plan import table

GPKG = "qiantang_harbor.gpkg"
CSV_TABLES = {"targets": "targets", "baselines": "baselines", "harbors": "harbors",
              "tasks": "tasks", "projects": "annex5", "units": "units"}


def write_dataset(outdir: str | Path) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    gpkg = outdir / GPKG
    gpkg.unlink(missing_ok=True)
    for data in load_all():
        frame = data.frame.copy()
        frame.loc[frame.geometry.is_empty, "geometry"] = None
        frame.to_file(gpkg, layer=data.layer.id, driver="GPKG")
    written = [gpkg]
    for name, source in CSV_TABLES.items():
        path = outdir / f"{name}.csv"
        table(source).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    path = outdir / "zone_areas.csv"
    areas = area_table()
    for column in ("source", "accuracy", "confidence"):  # beside the English, for Chinese readers
        areas.insert(areas.columns.get_loc(column) + 1, f"{column}_zh", areas[column].map(provenance_zh))
    areas.to_csv(path, index=False, encoding="utf-8-sig")
    written.append(path)
    return written


def dataset_zip() -> bytes:
    """The same files as :func:`write_dataset`, zipped, for a download button."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in write_dataset(tmp):
            z.write(path, path.name)
    return buffer.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.export", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", help="folder to write into (created if missing)")
    args = parser.parse_args(argv)
    for path in write_dataset(args.outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
