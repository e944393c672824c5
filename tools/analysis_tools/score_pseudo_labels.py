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

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from mmwsis.analysis import score_pseudo_json  # noqa: E402
from mmwsis.utils import load_config, register_all_modules  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the method config, e.g. configs/cim/cim_synthetic.py')
    parser.add_argument('pseudo_json', help='<work_dir>/pseudo_labels/train.json')
    parser.add_argument('--num-images', type=int, help='score the first N images only')
    parser.add_argument('--out', help='also write the numbers to this json')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = load_config(args.config)
    try:
        count, results = score_pseudo_json(cfg, args.pseudo_json, args.num_images)
    except ValueError as error:
        sys.exit(f'{args.pseudo_json}: {error}')
    columns = list(results['voc'])
    print(f'{args.pseudo_json}: {count} images with GT instances (%)')
    print('| protocol | ' + ' | '.join(columns) + ' |')
    print('|---|' + '---|' * len(columns))
    for mode, title in (('voc', 'VOC (chainercv mAP^r)'), ('coco', 'COCOeval segm')):
        print(f'| {title} | ' + ' | '.join(f'{results[mode][c]:.1f}' for c in columns) + ' |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(images=count, **results), f, indent=2)


if __name__ == '__main__':
    main()
