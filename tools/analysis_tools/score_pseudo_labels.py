"""Score a pseudo-label json against the GT instances of its split, in both protocols.

    python tools/analysis_tools/score_pseudo_labels.py CONFIG PSEUDO_JSON [--num-images N]

CONFIG is the method config whose ``pseudo_label`` run wrote PSEUDO_JSON (its
``pseudo_label.dataloader.dataset`` names the split); images are matched by the json's
``source_id`` (the dataset's ``img_id``). Printed, at IoU 0.25 / 0.5 / 0.7 / 0.75:

* ``voc``: chainercv's ``eval_instance_segmentation_voc`` (mAP^r; IRNet's and BESTIE's
  protocol, the one every mmwsis table uses);
* ``coco``: pycocotools ``COCOeval('segm')`` with those IoU thresholds, all areas, 100
  detections per image (CIM's protocol).

The GT of the labelled (training) split is read for this report only.
"""
import argparse
import json
import os.path as osp
import sys
from typing import Dict, List

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import numpy as np  # noqa: E402

from mmwsis.engine.pseudo_label import reference_dataset_cfg  # noqa: E402
from mmwsis.evaluation.functional import (DEFAULT_IOU_THRS, ImageInstances,  # noqa: E402
                                          coco_instance_ap, map_percent, voc_instance_ap)
from mmwsis.registry import DATASETS  # noqa: E402
from mmwsis.utils import load_config, register_all_modules  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the method config, e.g. configs/cim/cim_synthetic.py')
    parser.add_argument('pseudo_json', help='<work_dir>/pseudo_labels/train.json')
    parser.add_argument('--num-images', type=int, help='score the first N images only')
    parser.add_argument('--out', help='also write the numbers to this json')
    return parser.parse_args()


def pseudo_instances(path: str) -> Dict[str, dict]:
    """``img_id -> {'masks', 'labels' (0-based), 'scores'}`` of an mmwsis pseudo json."""
    with open(path) as f:
        data = json.load(f)
    by_image = {image['id']: str(image.get('source_id', image['id']))
                for image in data['images']}
    found = {img_id: dict(masks=[], labels=[], scores=[]) for img_id in by_image.values()}
    for ann in data['annotations']:
        entry = found[by_image[ann['image_id']]]
        entry['masks'].append(ann['segmentation'])
        entry['labels'].append(ann['category_id'] - 1)
        entry['scores'].append(ann.get('score', 1.0))
    return found


def score(images: List[ImageInstances], num_classes: int) -> Dict[str, Dict[str, float]]:
    """{'voc' | 'coco': {'mAP25': ..., ...}} in %."""
    out = {}
    for mode, evaluate in (('voc', voc_instance_ap), ('coco', coco_instance_ap)):
        out[mode] = map_percent(evaluate(images, num_classes, DEFAULT_IOU_THRS))
    return out


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = load_config(args.config)
    reference = DATASETS.build(reference_dataset_cfg(cfg))
    predictions = pseudo_instances(args.pseudo_json)
    count = len(reference) if args.num_images is None else min(args.num_images, len(reference))
    images, missing = [], []
    for index in range(count):
        info = reference.get_data_info(index)
        if not info.get('has_masks'):
            continue
        pred = predictions.get(str(info['img_id']))
        if pred is None:
            missing.append(str(info['img_id']))
            continue
        images.append(ImageInstances(
            pred_masks=pred['masks'], pred_labels=np.asarray(pred['labels'], np.int64),
            pred_scores=np.asarray(pred['scores'], np.float64),
            gt_masks=[g['mask'] for g in info['instances']],
            gt_labels=[g['bbox_label'] for g in info['instances']]))
    if missing:
        sys.exit(f'{args.pseudo_json} has no entry for {len(missing)} images of the split '
                 f'(first: {missing[0]}); was it written by this config\'s pseudo_label run?')
    if not images:
        sys.exit(f'no image of {args.config}\'s pseudo-label split has GT instance masks')
    results = score(images, len(reference.metainfo['classes']))
    columns = list(results['voc'])
    print(f'{args.pseudo_json}: {len(images)} images with GT instances (%)')
    print('| protocol | ' + ' | '.join(columns) + ' |')
    print('|---|' + '---|' * len(columns))
    for mode, title in (('voc', 'VOC (chainercv mAP^r)'), ('coco', 'COCOeval segm')):
        print(f'| {title} | ' + ' | '.join(f'{results[mode][c]:.1f}' for c in columns) + ' |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(images=len(images), **results), f, indent=2)


if __name__ == '__main__':
    main()
