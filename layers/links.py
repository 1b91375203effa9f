"""What ties a layer or a feature to the plan's targets, tasks and projects."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from layers.plan import rows_for, split_ids, table, targets_for
from layers.registry import BY_ID


@dataclass
class Links:
    targets: pd.DataFrame
    tasks: pd.DataFrame
    projects: pd.DataFrame

    def __len__(self) -> int:
        return len(self.targets) + len(self.tasks) + len(self.projects)


def links_for(layer_id: str, feature_id: str | None = None) -> Links:
    """The layer's own links, plus those of one feature of data/features.csv when given."""
    layer = BY_ID[layer_id]
    targets, tasks, projects = list(layer.targets), list(layer.tasks), list(layer.projects)
    features = table("features")
    row = features[(features["id"] == feature_id) & (features["layer"] == layer_id)]
    if feature_id and len(row):
        f = row.iloc[0]
        targets += split_ids(f["targets"])
        tasks += split_ids(f["tasks"])
        projects += split_ids(f["projects"])
    return Links(targets_for(dict.fromkeys(targets)), rows_for("tasks", tasks),
                 rows_for("annex5", projects))


def places_of(item_id: str) -> list[tuple[str, str | None]]:
    """Where a task of 三 or 四 or an Annex 5 item is on the map: the features of
    data/features.csv tied to it, (layer, feature id), then the layers tied to it as a whole
    (feature None); empty for one the plan places nowhere."""
    features = table("features")
    column = "projects" if item_id in set(table("annex5")["id"]) else "tasks"
    out = [(f["layer"], f["id"]) for f in features.to_dict("records") if item_id in split_ids(f[column])]
    tied = {layer for layer, _ in out}
    out += [(layer.id, None) for layer in BY_ID.values()
            if item_id in (layer.projects if column == "projects" else layer.tasks) and layer.id not in tied]
    return out
