"""Where BESTIE's pseudo labels lose quality: its parts replaced one by one by stand-ins.

    python tools/analysis_tools/bestie_stand_ins.py WORK_DIR [--num-images 80] [--out JSON]

``--out`` writes an ablation file (``configs/bestie/ablations/<config>-stand-ins.json``,
which ``tools/misc/update_results.py`` puts on the BESTIE page).

WORK_DIR is a BESTIE pipeline run (``work_dirs/bestie_synthetic_pipeline``): its
``bestie`` step's config, last checkpoint and WSSS maps (the step's
``pseudo_label.dataloader.dataset.pseudo_seg_dir``, read as its labeler reads them). On the first ``--num-images`` training images
(their GT is read for this report only, never val's) the teacher's outputs are grouped
into instances in several ways, each scored like the pseudo labels (VOC mAP^r):

* ``bestie``: BESTIE's own grouping (its semantic head, centres and offsets,
  ``get_ins_map``: the labeler with ``semantic='network'``);
* ``wsss + bestie``: the WSSS map in place of its semantic head, scored by it (the
  labeler's default, ``semantic='wsss'``);
* ``wsss pieces``: each connected WSSS piece one instance, no split;
* ``wsss + GT centres``: the WSSS map, split by its offsets among the GT instances'
  centroids (what better centres would give);
* ``wsss, GT split``: every WSSS pixel given to the nearest GT instance of its class
  (the best any split of these WSSS maps can do).

Scores are (centre score x) the mean semantic probability of the class over the mask,
from the semantic head. The rows are the
groupings before the pseudo-label stage's own filtering (``pseudo_label`` options), so the
first can differ a little from the pseudo json's score on the same images.
"""
import argparse
import os.path as osp
import sys
import time
from typing import Dict, List, Tuple

import numpy as np
from PIL import Image
from scipy import ndimage

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from mmengine.config import Config  # noqa: E402
from mmengine.runner import find_latest_checkpoint  # noqa: E402
from pycocotools import mask as mask_utils  # noqa: E402

from mmwsis.analysis import score_instances  # noqa: E402
from mmwsis.analysis.teacher_outputs import run_teacher  # noqa: E402
from mmwsis.engine.pipeline import machine_description, source_commit  # noqa: E402
from mmwsis.engine.pseudo_label import reference_dataset_cfg  # noqa: E402
from mmwsis.engine.pseudo_label.labelers.teacher_outputs import \
    resize_label_maps  # noqa: E402
from mmwsis.evaluation.functional import ImageInstances, encode_masks  # noqa: E402
from mmwsis.pseudo import write_json_atomic  # noqa: E402
from mmwsis.pseudo.bestie_instances import (group_pixels, instance_map,  # noqa: E402
                                            large_components)
from mmwsis.registry import DATASETS, PSEUDO_LABELERS  # noqa: E402
from mmwsis.utils import register_all_modules  # noqa: E402

ROWS = {
    'bestie': 'BESTIE (its semantic head, centres, offsets)',
    'wsss + bestie': 'WSSS map + its centres, offsets (the labeler)',
    'wsss pieces': 'WSSS pieces, no split',
    'wsss + GT centres': 'WSSS map + GT centroids, its offsets',
    'wsss, GT split': 'WSSS map split by GT instances (bound)',
}
Instances = Tuple[List[np.ndarray], List[int], List[float]]


def wsss_pieces(semantic: np.ndarray, seg_prob: np.ndarray, min_area: int) -> Instances:
    masks, labels, scores = [], [], []
    for value in np.unique(semantic[(semantic > 0) & (semantic != 255)]):
        components, ids = large_components(semantic == value, min_area)
        for index in ids:
            mask = components == index
            masks.append(mask)
            labels.append(int(value) - 1)
            scores.append(float(seg_prob[value][mask].mean()))
    return masks, labels, scores


def gt_centre_split(semantic: np.ndarray, seg_prob: np.ndarray, offset: np.ndarray,
                    gt: List[Tuple[np.ndarray, int]], min_area: int) -> Instances:
    """Each WSSS piece split by the offsets among the centroids of the GT instances of its
    class that lie in it (a piece holding none is one instance)."""
    masks, labels, scores = [], [], []
    for value in np.unique(semantic[(semantic > 0) & (semantic != 255)]):
        components, ids = large_components(semantic == value, min_area)
        centroids = np.array([np.rint(ndimage.center_of_mass(mask)) for mask, label in gt
                              if label == value - 1], np.int64).reshape(-1, 2)
        for index in ids:
            piece = components == index
            inside = centroids[piece[centroids[:, 0], centroids[:, 1]]] if len(
                centroids) else centroids
            groups = (group_pixels(piece, offset, inside) if len(inside)
                      else np.where(piece, 0, -1))
            for group in np.unique(groups[piece]):
                mask = groups == group
                masks.append(mask)
                labels.append(int(value) - 1)
                scores.append(float(seg_prob[value][mask].mean()))
    return masks, labels, scores


def gt_split(semantic: np.ndarray, seg_prob: np.ndarray,
             gt: List[Tuple[np.ndarray, int]]) -> Instances:
    """Every WSSS pixel of class c to the nearest GT instance of class c."""
    masks, labels, scores = [], [], []
    for cls in sorted({label for _, label in gt}):
        mine = [mask for mask, label in gt if label == cls]
        distance = np.stack([ndimage.distance_transform_edt(~mask) for mask in mine])
        nearest = distance.argmin(axis=0)
        region = semantic == cls + 1
        for index in range(len(mine)):
            mask = region & (nearest == index)
            if mask.any():
                masks.append(mask)
                labels.append(cls)
                scores.append(float(seg_prob[cls + 1][mask].mean()))
    return masks, labels, scores


def to_size(masks: List[np.ndarray], size: Tuple[int, int]) -> np.ndarray:
    """Masks at the teacher's scale -> (N, H, W) bool at ``size``, as the labeler does."""
    if not len(masks):
        return np.zeros((0, *size), bool)
    return resize_label_maps(np.stack(masks).astype(bool), size)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('work_dir', help='a BESTIE pipeline run')
    parser.add_argument('--num-images', type=int, default=80)
    parser.add_argument('--out', help='write the numbers to this json')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    register_all_modules()
    step = osp.join(args.work_dir, 'bestie')
    config = osp.join(step, 'pipeline_config.py')
    checkpoint = find_latest_checkpoint(step)
    if not osp.isfile(config) or not checkpoint:
        sys.exit(f'{step}: no pipeline_config.py or checkpoint; run tools/pipeline.py with a '
                 'BESTIE config first')
    cfg = Config.fromfile(config)
    labeler = PSEUDO_LABELERS.build(cfg.pseudo_label.labeler)
    options = labeler.kwargs
    reference = DATASETS.build(reference_dataset_cfg(cfg))
    num_classes = len(reference.metainfo['classes'])
    found: Dict[str, List[ImageInstances]] = {name: [] for name in ROWS}
    for index, out in run_teacher(cfg, checkpoint, args.num_images):
        info = reference.get_data_info(index)
        if not info.get('has_masks'):
            continue
        seg_prob, center = out.seg_prob.numpy(), out.center.numpy()
        offset = out.offset.numpy()
        work_size, size = seg_prob.shape[1:], tuple(out.metainfo['ori_shape'][:2])
        wsss = labeler.wsss_map(out.to_dict(), work_size)  # as the labeler reads it
        gt_rles = [g['mask'] for g in info['instances']]
        gt_labels = [g['bbox_label'] for g in info['instances']]
        gt_work = [(np.array(Image.fromarray(mask_utils.decode(rle)).resize(
            work_size[::-1], Image.NEAREST)) > 0, label) for rle, label in
            zip(gt_rles, gt_labels)]
        labels = list(out.metainfo['image_labels'])
        candidates = {
            'bestie': instance_map(seg_prob, center, offset, labels, **options),
            'wsss + bestie': instance_map(seg_prob, center, offset, labels, **options,
                                          semantic=wsss),
            'wsss pieces': wsss_pieces(wsss, seg_prob, options['min_area']),
            'wsss + GT centres': gt_centre_split(wsss, seg_prob, offset, gt_work,
                                                 options['min_area']),
            'wsss, GT split': gt_split(wsss, seg_prob, gt_work),
        }
        for row, (masks, pred_labels, scores) in candidates.items():
            found[row].append(ImageInstances(
                pred_masks=encode_masks(to_size(list(masks), size)),
                pred_labels=np.asarray(pred_labels, np.int64),
                pred_scores=np.asarray(scores, np.float64), gt_masks=gt_rles,
                gt_labels=gt_labels))
    results = {row: score_instances(images, num_classes) for row, images in found.items()}
    columns = list(results['bestie']['voc'])
    count = len(found['bestie'])
    print(f'{args.work_dir}: pseudo labels of the first {count} training images with GT '
          '(%, VOC mAP^r)')
    print('| grouping | ' + ' | '.join(columns) + ' |')
    print('|---|' + '---|' * len(columns))
    for row, values in results.items():
        print(f'| {ROWS[row]} | ' + ' | '.join(f'{values["voc"][c]:.1f}' for c in columns)
              + ' |')
    if args.out:  # the ablation files' format (tools/misc/update_results.py)
        command = ['python', osp.relpath(__file__, REPO_ROOT)] + sys.argv[1:]
        write_json_atomic(dict(
            config=osp.relpath(config), num_images=args.num_images, columns=columns,
            rows=[dict(variant=row, title=ROWS[row], images=count, **values)
                  for row, values in results.items()],
            command=' '.join(command), machine=machine_description(),
            date=time.strftime('%Y-%m-%d'), commit=source_commit()), args.out)
        print(f'written: {args.out}')


if __name__ == '__main__':
    main()
