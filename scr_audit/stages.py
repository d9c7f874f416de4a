"""The stages at which a review is assessed, as the Quality Markers describe their use.

At the beginning (what is being commissioned), progressively (a few markers as the review
runs) or at the end (reflection). Kept in one light module: the CLI needs the names at
start-up, before any model is imported.
"""

from typing import Literal, get_args

Stage = Literal["beginning", "progressive", "end"]
STAGES: tuple[str, ...] = get_args(Stage)

#: How a record names each stage.
STAGE_LABELS = {
    "beginning": "Beginning of the review",
    "progressive": "Progressive, while the review runs",
    "end": "End of the review",
}
