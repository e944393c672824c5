"""Choose the confidence threshold below which Mask R-CNN ignores a pseudo mask, on train GT.

    python tools/analysis_tools/confidence_rule.py CONFIG PSEUDO_JSON [--num-images 80] \\
        [--out FILE.json]

CONFIG is the box-supervised method config whose ``pseudo_label`` run wrote PSEUDO_JSON
(``configs/boxcaseg/boxcaseg_synthetic.py``). On the first ``--num-images`` images of its
split it prints each mask's quality against the GT (IoU with the best GT instance of its
class: their mean is the proxy masks' mIoU), how the confidence ranks it (Spearman), and
per threshold the share of masks kept, their mean IoU, and precision / recall / F1 of
"kept" for "good" (IoU >= 0.5). The chosen threshold is the best F1's
(:mod:`mmwsis.analysis.confidence_rule`); it goes to ``min_confidence`` of the refinement's
``ConfidenceWeightedMaskHead``. The GT of the training split is read for this choice only.
"""
import argparse
import json
import os.path as osp
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import numpy as np  # noqa: E402

from mmwsis.analysis import (chosen_threshold, mask_quality, rank_correlation,  # noqa: E402
                             threshold_table)
from mmwsis.utils import load_config, register_all_modules  # noqa: E402

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='e.g. configs/boxcaseg/boxcaseg_synthetic.py')
    parser.add_argument('pseudo_json', help='<work_dir>/pseudo_labels/train.json')
    parser.add_argument('--num-images', type=int, default=80,
                        help='the first N images of the split (default 80)')
    parser.add_argument('--out', help='also write the numbers to this json')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = load_config(args.config)
    try:
        scores, ious, gt_count = mask_quality(cfg, args.pseudo_json, args.num_images)
    except ValueError as error:
        sys.exit(str(error))
    if not len(scores):
        sys.exit(f'{args.pseudo_json}: no pseudo mask on the first {args.num_images} images')
    rows = threshold_table(scores, ious, THRESHOLDS)
    chosen = chosen_threshold(rows)
    correlation = rank_correlation(scores, ious)
    print(f'{args.pseudo_json}: {len(scores)} masks for {gt_count} GT instances on the first '
          f'{args.num_images} images; mask mIoU {100 * ious.mean():.1f}, good (IoU >= 0.5) '
          f'{100 * (ious >= 0.5).mean():.1f} %, Spearman(confidence, IoU) {correlation:.2f}')
    print('| min confidence | kept % | mean IoU % | precision % | recall % | F1 % |')
    print('|---:|---:|---:|---:|---:|---:|')
    for row in rows:
        mark = ' (chosen)' if row['threshold'] == chosen else ''
        print(f'| {row["threshold"]:.2f}{mark} | {100 * row["kept"]:.1f} | '
              f'{100 * row["mean_iou"]:.1f} | {100 * row["precision"]:.1f} | '
              f'{100 * row["recall"]:.1f} | {100 * row["f1"]:.1f} |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, pseudo_json=args.pseudo_json,
                           num_images=args.num_images, masks=len(scores), gt=gt_count,
                           mask_miou=float(ious.mean()), good=float((ious >= 0.5).mean()),
                           spearman=correlation, chosen=chosen, rows=rows,
                           iou_quartiles=np.percentile(ious, [25, 50, 75]).tolist()),
                      f, indent=2)


if __name__ == '__main__':
    main()
