"""Where IRNet's instance pseudo labels lose quality: paper settings, ours, and oracles.

    python tools/analysis_tools/irn_label_ablation.py CONFIG CHECKPOINT \\
        [--num-images 80] [--out-dir work_dirs/irn_label_ablation]

Runs the trained IRN teacher (CONFIG is an IRN config such as
``configs/irn/irn_synthetic.py``, CHECKPOINT its trained weights) on the first
``--num-images`` images of the split its ``pseudo_label`` section labels, caches the CAMs,
boundary and displacement maps, and scores instance pseudo labels built from them with
the mAP of the pseudo-label stage (VOC protocol, after the same class filter and overlap
rule):

* ``paper``: the labeler with the paper's settings (256 walk steps, no boundary split);
* ``steps``: the paper's labeler with the config's number of walk steps;
* ``config``: the config's labeler;
* ``config, walk length from the objects``: the config's labeler with ``log2_steps='auto'``
  (each image's walk length from the extent of its objects in the teacher's outputs);
* ``oracle semantic``: the config's labeler on the GT class maps instead of the CAMs;
* ``oracle instances``: the config's labeler on the GT instance map instead of the
  displacement clustering;
* ``oracle both``: both;
* ``oracle both, paper steps``: both, with the paper's 256 walk steps.

The oracle rows read the split's GT masks: this is an analysis of the labeler, done on
training images as IRNet does; val GT is never read.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Callable, List

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.utils import ProgressBar  # noqa: E402

from mmwsis import allow_mmengine_checkpoints  # noqa: E402
from mmwsis.analysis import gt_grid_maps, irn_oracle_labels, run_teacher  # noqa: E402
from mmwsis.engine.pseudo_label import reference_dataset_cfg  # noqa: E402
from mmwsis.engine.pseudo_label.labelers import IRNInstanceLabeler  # noqa: E402
from mmwsis.evaluation.functional import (ImageInstances, encode_masks,  # noqa: E402
                                          voc_instance_ap)
from mmwsis.registry import DATASETS  # noqa: E402
from mmwsis.utils import load_config, register_all_modules  # noqa: E402

PAPER = IRNInstanceLabeler().kwargs  # the labeler's defaults are the paper's settings


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='IRN config, e.g. configs/irn/irn_synthetic.py')
    parser.add_argument('checkpoint', help='trained IRN weights (the irn step epoch_*.pth)')
    parser.add_argument('--num-images', type=int, default=80)
    parser.add_argument('--out-dir', default='work_dirs/irn_label_ablation')
    return parser.parse_args()


def teacher_outputs(cfg: Config, checkpoint: str, num_images: int,
                    cache_dir: str) -> List[str]:
    """Run the teacher on the first images of the labelled split; (cached) npz paths."""
    os.makedirs(cache_dir, exist_ok=True)
    count = min(num_images, len(DATASETS.build(cfg.pseudo_label.dataloader.dataset)))
    paths = [osp.join(cache_dir, f'{i:05d}.npz') for i in range(count)]
    if all(osp.exists(p) for p in paths):
        return paths
    print(f'running the teacher on {count} images')
    progress = ProgressBar(count)
    for index, out in run_teacher(cfg, checkpoint, count):
        np.savez_compressed(
            paths[index], cams=out.cams.numpy(), cam_labels=out.cam_labels.numpy(),
            boundary=out.boundary.numpy(), displacement=out.displacement.numpy(),
            teacher_scale=out.metainfo['teacher_scale'], img_id=out.metainfo['img_id'])
        progress.update()
    print()
    return paths


def score(items: List[dict], make: Callable[[dict], dict], num_classes: int) -> List[float]:
    """mAP25/50/70/75 (x100) of the labels ``make`` gives each cached image."""
    images = []
    progress = ProgressBar(len(items))
    for item in items:
        result = make(item)
        images.append(ImageInstances(
            pred_masks=encode_masks(result['masks']), pred_labels=result['labels'],
            pred_scores=result['scores'], gt_masks=[g['mask'] for g in item['gt']],
            gt_labels=[g['bbox_label'] for g in item['gt']]))
        progress.update()
    print()
    return [float(m * 100) for m in voc_instance_ap(images, num_classes)['map']]


def main() -> None:
    args = parse_args()
    register_all_modules()
    allow_mmengine_checkpoints()
    torch.set_grad_enabled(False)
    cfg = load_config(args.config)
    labeler = {k: v for k, v in cfg.pseudo_label.labeler.items()
               if k not in ('type', '_delete_')}
    config_options = dict(PAPER, **labeler)
    paths = teacher_outputs(cfg, args.checkpoint, args.num_images,
                            osp.join(args.out_dir, 'teacher_outputs'))

    reference = DATASETS.build(reference_dataset_cfg(cfg))
    num_classes = len(reference.metainfo['classes'])
    items = []
    for index, path in enumerate(paths):
        item = dict(np.load(path))
        info = reference.get_data_info(index)
        if str(item['img_id']) != str(info['img_id']):
            raise RuntimeError(f'{path} is not image {info["img_id"]}: delete '
                               f'{osp.dirname(path)} and rerun')
        size = (info['height'], info['width'])
        scale = float(item['teacher_scale'])
        work_size = (round(size[0] * scale), round(size[1] * scale))
        gt_classes, gt_instances = gt_grid_maps(info, work_size, item['cams'].shape[1:])
        items.append(dict(item, size=size, work_size=work_size, gt=info['instances'],
                          gt_classes=gt_classes, gt_instances=gt_instances))

    steps_only = dict(PAPER, log2_steps=config_options['log2_steps'])
    rows = [
        ('paper', PAPER, False, False),
        ('steps', steps_only, False, False),
        ('config', config_options, False, False),
        ('config, walk length from the objects (log2_steps=auto)',
         dict(config_options, log2_steps='auto'), False, False),
        ('oracle semantic', config_options, True, False),
        ('oracle instances', config_options, False, True),
        ('oracle both', config_options, True, True),
        ('oracle both, paper steps', dict(config_options, log2_steps=PAPER['log2_steps']),
         True, True),
    ]
    results = {}
    for name, options, oracle_semantic, oracle_instances in rows:
        print(f'{name}: {options}')
        results[name] = dict(options=options, maps=score(
            items, lambda item: irn_oracle_labels(item, options, oracle_semantic,
                                                  oracle_instances),
            num_classes))

    lines = [f'IRN instance pseudo labels on the first {len(items)} images of the labelled '
             'split (VOC protocol)', '',
             '| labeler | mAP25 | mAP50 | mAP70 | mAP75 |', '|---|---|---|---|---|']
    lines += [f'| {name} | ' + ' | '.join(f'{m:.1f}' for m in r['maps']) + ' |'
              for name, r in results.items()]
    print('\n'.join(lines))
    with open(osp.join(args.out_dir, 'ablation.json'), 'w') as f:
        json.dump(results, f, indent=1)
    print(f'written: {osp.join(args.out_dir, "ablation.json")}')


if __name__ == '__main__':
    main()
