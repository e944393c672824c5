"""Pseudo-label algorithms as plain functions on arrays (no mmengine inside)."""
from .bestie_instances import (ComponentInstance, component_centres, component_instances,
                               disk_area, group_pixels, instance_map, large_components,
                               restrict_classes)
from .bestie_points import pam_peak_points
from .bestie_refine import refined_targets, refined_targets_with_points
from .bestie_targets import (CentreOffsetTargets, gaussian_centres, point_pixels,
                             transfer_targets)
from .box_matching import match_detections_to_boxes
from .box_prior_masks import filled_box_mask, grabcut_box_mask
from .boxcaseg_proxy import (box_iou, box_iou_matrix, box_pixels, mask_box, merge_proxy_masks,
                             min_max_normalise, paste_box_mask)
from .cim_clusters import proposal_clusters
from .cim_mining import (BranchTargets, MinedInstances, big_proposals, branch_targets, mask_nms,
                         mine_complete_instances, propagate_to_proposals, sample_by_weight,
                         select_detections)
from .cim_peaks import class_peaks
from .cim_overlaps import (box_cropped_masks, overlaps_from_atoms, pack_atoms, proposal_atoms,
                           proposal_overlaps, unpack_atoms)
from .coco_export import build_coco_json, coco_annotation, write_json_atomic
from .fusion import fuse_instances, match_across_sources
from .ir_labels import dense_crf_labels, ir_labels_from_cams
from .irn_instances import (cluster_instances, instance_map_from_displacement,
                            instance_scores_from_cams, instances_from_scores,
                            irn_instance_pseudo_labels, object_extent, refine_centroids,
                            resolve_log2_steps, semantic_map_from_cams, split_instances_by_boundary,
                            walk_log2_steps)
from .liid_graph import LiidGraph, build_liid_graph, terminal_edges
from .multiway_cut import (CutResult, cut_objective, fallback_cut, multiway_cut,
                           solve_component_ilp)
from .overlap import filter_instances, resolve_overlaps
from .path_index import (PairIndex, max_boundary_along_paths, pair_index, pair_offsets,
                         path_cells)
from .proposal_knn import knn_recall, shared_label_knn
from .random_walk import random_walk, random_walk_dense, transition_matrix

__all__ = [
    'ComponentInstance', 'component_centres', 'component_instances', 'disk_area',
    'group_pixels', 'instance_map', 'large_components', 'restrict_classes', 'pam_peak_points',
    'refined_targets', 'refined_targets_with_points', 'CentreOffsetTargets',
    'gaussian_centres', 'point_pixels', 'transfer_targets', 'match_detections_to_boxes',
    'filled_box_mask', 'grabcut_box_mask', 'box_iou', 'box_iou_matrix', 'box_pixels',
    'mask_box', 'merge_proxy_masks', 'min_max_normalise', 'paste_box_mask', 'proposal_clusters',
    'BranchTargets', 'MinedInstances', 'big_proposals',
    'branch_targets', 'mask_nms', 'mine_complete_instances', 'propagate_to_proposals',
    'sample_by_weight', 'select_detections', 'box_cropped_masks', 'proposal_overlaps',
    'proposal_atoms', 'overlaps_from_atoms', 'pack_atoms', 'unpack_atoms', 'class_peaks',
    'build_coco_json', 'coco_annotation', 'write_json_atomic', 'fuse_instances',
    'match_across_sources', 'dense_crf_labels',
    'ir_labels_from_cams', 'cluster_instances', 'instance_scores_from_cams',
    'instances_from_scores', 'irn_instance_pseudo_labels', 'refine_centroids',
    'semantic_map_from_cams', 'split_instances_by_boundary', 'instance_map_from_displacement',
    'object_extent', 'resolve_log2_steps', 'walk_log2_steps',
    'LiidGraph', 'build_liid_graph', 'shared_label_knn', 'knn_recall',
    'terminal_edges', 'CutResult', 'cut_objective', 'fallback_cut', 'multiway_cut',
    'solve_component_ilp', 'filter_instances', 'resolve_overlaps', 'PairIndex',
    'max_boundary_along_paths',
    'pair_index', 'pair_offsets', 'path_cells', 'random_walk', 'random_walk_dense',
    'transition_matrix'
]
