"""What LIID's pseudo labels are made of: the cut against no cut, and where each kept mask lies.

    python tools/analysis_tools/liid_label_analysis.py CONFIG PSEUDO_LABEL_DIR \\
        [--num-images 80] [--score cls]

CONFIG is a LIID config (``configs/liid/liid_synthetic.py``), PSEUDO_LABEL_DIR the
``pseudo_labels`` folder of a finished pseudo-label run of it (``<work_dir>/pseudo_labels``;
its per-image cache holds the teacher's proposal scores and features). The script redoes
the dataset-level graph and cut from that cache and compares, on the first
``--num-images`` images of the split:

* the labels of the cut with the per-proposal argmax of the MIL probabilities (no graph);
* the pseudo mAP^r of both, scored by the config's labeler
  (``LIIDCutLabeler.instances``), after the collector's class filter and overlap rule;
* where each kept mask of the cut lies against the GT: ``whole`` (IoU >= 0.5 with a GT
  instance of its class), ``fragment`` (>= 70 % inside one GT instance of its class),
  ``merged`` (over several objects or an object and background), ``other class`` (mostly
  on an object of another class), ``background`` (< 30 % on any object).

The GT of the labelled (training) split is read for this analysis only.
"""
import argparse
import os.path as osp
import sys
from collections import Counter

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import numpy as np  # noqa: E402
import pycocotools.mask as mask_utils  # noqa: E402

from mmwsis.engine.pseudo_label import (LazyResults, PseudoLabel,  # noqa: E402
                                        reference_dataset_cfg)
from mmwsis.evaluation.functional import (ImageInstances, encode_masks,  # noqa: E402
                                          voc_instance_ap)
from mmwsis.pseudo import filter_instances  # noqa: E402
from mmwsis.registry import DATASETS, PSEUDO_LABELERS  # noqa: E402
from mmwsis.utils import ResultCache, load_config, register_all_modules  # noqa: E402

CATEGORIES = ('whole', 'fragment', 'merged', 'other class', 'background')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='LIID config, e.g. configs/liid/liid_synthetic.py')
    parser.add_argument('pseudo_label_dir', help='<work_dir>/pseudo_labels of a finished run')
    parser.add_argument('--num-images', type=int, default=80)
    parser.add_argument('--score', choices=('cls_x_objectness', 'cls'),
                        help="the labeler's score (default: the config's)")
    return parser.parse_args()


def within_image_classes(payload: dict, terminals: np.ndarray) -> np.ndarray:
    """(R,) terminals with those outside the image's classes set to background (0)."""
    return np.where(np.isin(terminals - 1, payload['image_labels']), terminals, 0)


def kept(result: PseudoLabel, info: dict) -> dict:
    """The collector's filter (image classes, overlap rule) on decoded masks."""
    shape = (info['height'], info['width'])
    masks = (mask_utils.decode(result.masks).transpose(2, 0, 1).astype(bool)
             if len(result.masks) else np.zeros((0, *shape), dtype=bool))
    masks, labels, scores = filter_instances(masks, result.labels, result.scores,
                                             info['image_labels'], 0.0, True, 0)
    return dict(masks=masks, labels=labels, scores=scores)


def category(mask: np.ndarray, label: int, gt_masks: list, gt_labels: list) -> str:
    """Where one pseudo mask lies against the image's GT instances."""
    area = mask.sum()
    inter = np.array([(mask & g).sum() for g in gt_masks], dtype=np.float64)
    if inter.sum() < 0.3 * area:
        return 'background'
    iou = inter / np.array([(mask | g).sum() for g in gt_masks])
    if iou.max() >= 0.5 and gt_labels[int(iou.argmax())] == label:
        return 'whole'
    main = int(inter.argmax())
    if gt_labels[main] != label:
        return 'other class'
    return 'fragment' if inter[main] >= 0.7 * area else 'merged'


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = load_config(args.config)
    reference = DATASETS.build(reference_dataset_cfg(cfg))
    cache = ResultCache(osp.join(args.pseudo_label_dir, 'cache',
                                 cfg.pseudo_label.get('name', 'train')))
    infos = [reference.get_data_info(i) for i in range(len(reference))]
    missing = [i['img_id'] for i in infos if not cache.has(i['img_id'])]
    if missing:
        raise FileNotFoundError(f'{cache.root} lacks {len(missing)} images (first: '
                                f'{missing[0]}): finish the pseudo-label run first')
    per_image = LazyResults.from_cache(cache, [i['img_id'] for i in infos])
    if args.score:
        cfg.pseudo_label.labeler.score = args.score
    labeler = PSEUDO_LABELERS.build(cfg.pseudo_label.labeler)
    cut = labeler.cut_terminals(per_image)

    infos = infos[:args.num_images]
    changed = total = 0
    scored = dict(cut=[], argmax=[])
    counts = Counter()
    for info in infos:
        item = per_image[info['img_id']]
        payload = item.payload
        terminals = dict(cut=cut[info['img_id']], argmax=payload['probs'].argmax(axis=1))
        changed += int((within_image_classes(payload, terminals['cut']) !=
                        within_image_classes(payload, terminals['argmax'])).sum())
        total += len(payload['probs'])
        gt_masks = [mask_utils.decode(g['mask']).astype(bool) for g in info['instances']]
        gt_labels = [g['bbox_label'] for g in info['instances']]
        for name, proposal_terminals in terminals.items():
            result = kept(labeler.instances(item, proposal_terminals), info)
            scored[name].append(ImageInstances(
                pred_masks=encode_masks(result['masks']), pred_labels=result['labels'],
                pred_scores=result['scores'], gt_masks=[g['mask'] for g in info['instances']],
                gt_labels=gt_labels))
            if name == 'cut':
                counts.update(category(m, int(lab), gt_masks, gt_labels)
                              for m, lab in zip(result['masks'], result['labels']))

    num_classes = len(reference.metainfo['classes'])
    gt_total = sum(len(i['instances']) for i in infos)
    print(f'LIID pseudo labels on the first {len(infos)} images ({gt_total} GT instances)')
    print(f'proposals whose cut label differs from their argmax: {changed} of {total}')
    print('| labels | mAP25 | mAP50 | mAP70 | mAP75 | masks per image |')
    print('|---|---|---|---|---|---|')
    for name, images in scored.items():
        maps = voc_instance_ap(images, num_classes)['map']
        per_image_count = np.mean([len(i.pred_labels) for i in images])
        print(f'| {name} | ' + ' | '.join(f'{m * 100:.1f}' for m in maps) +
              f' | {per_image_count:.1f} |')
    print('kept masks of the cut: ' + ', '.join(f'{c} {counts[c]}' for c in CATEGORIES))


if __name__ == '__main__':
    main()
