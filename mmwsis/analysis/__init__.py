"""Analysis of a pipeline run on the training split: teacher outputs, oracles, diagnosis.

Everything here reads the GT of *training* images (as IRNet tunes on VOC train), never
val, and selects nothing: it explains where a labeler loses quality.
"""
from .confidence_rule import (chosen_threshold, mask_quality, rank_correlation,
                              threshold_table)
from .irn_oracles import gt_grid_maps, irn_oracle_labels
from .pseudo_label_scores import (labelled_images, pseudo_instances, score_instances,
                                  score_pseudo_json)
from .teacher_outputs import run_teacher

__all__ = [
    'chosen_threshold', 'mask_quality', 'rank_correlation', 'threshold_table',
    'run_teacher', 'gt_grid_maps', 'irn_oracle_labels', 'labelled_images', 'pseudo_instances',
    'score_instances', 'score_pseudo_json'
]
