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
