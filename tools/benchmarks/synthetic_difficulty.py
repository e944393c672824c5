"""How much instance separation matters on a dataset: oracle answers scored with the metric.

    python tools/benchmarks/synthetic_difficulty.py [--data-root data/synthetic] [--split val]

Three answers built from the split's own ground truth, each scored with the papers' mAP
(VOC protocol): the GT instances themselves (the maximum, 100); *semantic components*,
the connected components of the GT class map (what a perfect semantic segmenter gives
when it splits by connectivity; touching same-class objects merge); and *one mask per
class*, the union of each class's pixels. If the last two score far below 100, a method
must separate instances to do well.
"""
import argparse
import os.path as osp
import platform
import sys
import time

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import numpy as np  # noqa: E402
import pycocotools.mask as mask_utils  # noqa: E402
from scipy import ndimage  # noqa: E402

from mmwsis.datasets import VOCInstanceDataset  # noqa: E402
from mmwsis.datasets.synthetic import CLASSES  # noqa: E402
from mmwsis.evaluation.functional import (ImageInstances, encode_masks,  # noqa: E402
                                          voc_instance_ap)


def answers(info: dict) -> dict:
    """The three oracle answers of one image as (masks, labels)."""
    gt = [mask_utils.decode(i['mask']).astype(bool) for i in info['instances']]
    labels = np.array([i['bbox_label'] for i in info['instances']], dtype=np.int64)
    shape = (info['height'], info['width'])
    components, union = [], []
    for c in np.unique(labels):
        region = np.any([m for m, l in zip(gt, labels) if l == c], axis=0)
        # Void bands separate touching objects in the GT; a semantic map has no void
        # inside objects, so close the band before taking components.
        region = ndimage.binary_closing(region, np.ones((3, 3)), border_value=0) | region
        pieces, count = ndimage.label(region)
        components += [(pieces == k, c) for k in range(1, count + 1)]
        union.append((region, c))

    def pack(pairs):
        masks = np.array([m for m, _ in pairs]).reshape(-1, *shape)
        return masks, np.array([c for _, c in pairs], dtype=np.int64)

    return dict(gt=(np.array(gt).reshape(-1, *shape), labels), components=pack(components),
                union=pack(union))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data-root', default='data/synthetic')
    parser.add_argument('--split', default='val')
    args = parser.parse_args()
    start = time.time()
    dataset = VOCInstanceDataset(data_root=args.data_root,
                                 ann_file=f'ImageSets/Segmentation/{args.split}.txt',
                                 metainfo=dict(classes=CLASSES), pipeline=[], test_mode=True)
    records = {name: [] for name in ('gt', 'components', 'union')}
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        gt_rles = [inst['mask'] for inst in info['instances']]
        gt_labels = [inst['bbox_label'] for inst in info['instances']]
        for name, (masks, labels) in answers(info).items():
            records[name].append(ImageInstances(
                pred_masks=encode_masks(masks), pred_labels=labels,
                pred_scores=np.ones(len(labels)), gt_masks=gt_rles, gt_labels=gt_labels))
    titles = dict(gt='GT instances', components='semantic components',
                  union='one mask per class')
    print(f'command: python {" ".join(sys.argv)}')
    print(f'machine: {platform.machine()}, {platform.processor() or "cpu"}, '
          f'{len(dataset)} images of {args.data_root} {args.split}')
    print('| answer | mAP25 | mAP50 | mAP70 | mAP75 |\n|---|---|---|---|---|')
    for name, items in records.items():
        result = voc_instance_ap(items, len(CLASSES))
        print(f'| {titles[name]} | ' + ' | '.join(f'{m * 100:.1f}' for m in result['map'])
              + ' |')
    print(f'({time.time() - start:.1f} s)')


if __name__ == '__main__':
    main()
