"""Pictures of pseudo labels next to ground truth: image | pseudo masks | GT masks.

    python tools/visualize_pseudo.py CONFIG PSEUDO_JSON --out DIR [--num 8]

CONFIG is the teacher config whose ``pseudo_label`` section made PSEUDO_JSON; its split is
read with ``supervision='mask'`` for the GT panel (images without GT masks show none).
"""
import argparse
import os
import os.path as osp
import sys
from collections import defaultdict

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import mmcv  # noqa: E402
import numpy as np  # noqa: E402
import pycocotools.mask as mask_utils  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.fileio import load  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import mmwsis  # noqa: E402,F401
from mmwsis.engine.pseudo_label import pseudo_label_loop_cfgs  # noqa: E402
from mmwsis.registry import DATASETS  # noqa: E402
from mmwsis.utils import load_config, register_all_modules  # noqa: E402
from mmwsis.visualization import overlay_instances, titled_row  # noqa: E402


def decode(rle: dict) -> np.ndarray:
    counts = rle['counts']
    return mask_utils.decode(dict(size=rle['size'], counts=counts.encode('ascii')
                                  if isinstance(counts, str) else counts)).astype(bool)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('pseudo_json')
    parser.add_argument('--out', required=True, help='folder for the PNGs')
    parser.add_argument('--num', type=int, default=8, help='first N images of the json')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()

    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    cfg = load_config(args.config, args.cfg_options)
    cfg.work_dir = cfg.get('work_dir') or 'work_dirs'
    _, collector = pseudo_label_loop_cfgs(cfg)
    dataset = DATASETS.build(collector.dataset)
    infos = {str(dataset.get_data_info(i)['img_id']): dataset.get_data_info(i)
             for i in range(len(dataset))}
    data = load(args.pseudo_json)
    classes = [c['name'] for c in sorted(data['categories'], key=lambda c: c['id'])]
    by_image = defaultdict(list)
    for ann in data['annotations']:
        by_image[ann['image_id']].append(ann)
    os.makedirs(args.out, exist_ok=True)
    for image in data['images'][:args.num]:
        info = infos[image['source_id']]
        rgb = mmcv.imread(info['img_path'], channel_order='rgb')
        anns = by_image[image['id']]
        pseudo = overlay_instances(
            rgb, np.array([decode(a['segmentation']) for a in anns]).reshape(-1, *rgb.shape[:2]),
            [a['category_id'] - 1 for a in anns], classes, [a['score'] for a in anns])
        gt = info['instances'] if info.get('has_masks') else []
        truth = overlay_instances(
            rgb, np.array([decode(g['mask']) for g in gt]).reshape(-1, *rgb.shape[:2]),
            [g['bbox_label'] for g in gt], classes)
        row = titled_row([rgb, pseudo, truth],
                         ['image', f'pseudo ({len(anns)})', f'GT ({len(gt)})'])
        mmcv.imwrite(row[..., ::-1], osp.join(args.out, f'{image["source_id"]}.png'))
    print(f'wrote {min(args.num, len(data["images"]))} pictures to {args.out}')


if __name__ == '__main__':
    main()
