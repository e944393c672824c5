"""Snap a pseudo-label json's masks to graph superpixels and score both on train GT.

    python projects/SuperpixelSnap/tools/measure_snap.py CONFIG PSEUDO_JSON --name NAME
        [--num-images 80] [--scales 0.02 0.05 0.1 0.2] [--out-dir DIR]
        [--cfg-options KEY=VALUE ...]
    python projects/SuperpixelSnap/tools/measure_snap.py --readme

CONFIG is the mmwsis config whose ``pseudo_label`` run wrote PSEUDO_JSON (it names the
split and its GT). The json's final masks, any method's (a dataset-level one's, LIID's,
too), are snapped image by image at each ``scale_per_area`` of ``--scales``
(:class:`SuperpixelSnapLabeler` snaps the wrapped labeler's masks the same way, before
the writer filters them), and both are scored on the GT of the first ``--num-images``
training images (never val): chainercv's VOC mAP^r at IoU 0.25 / 0.5 / 0.7 / 0.75 and the
GT instances' mIoU with their best mask. Written to ``DIR/NAME.json`` (default: the
project's ``results/``). ``--readme`` regenerates the project README's table from those
files.
"""
import argparse
import datetime
import glob
import json
import os.path as osp
import re
import sys
from typing import Dict, List, Sequence, Tuple


PROJECT = osp.dirname(osp.dirname(osp.abspath(__file__)))
REPO = osp.dirname(osp.dirname(PROJECT))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

import mmcv  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

from mmwsis.analysis.pseudo_label_scores import labelled_images, score_instances  # noqa: E402
from mmwsis.engine.pipeline import machine_description, source_commit  # noqa: E402
from mmwsis.engine.pseudo_label import reference_dataset_cfg  # noqa: E402
from mmwsis.evaluation.functional import (ImageInstances, decode_masks,  # noqa: E402
                                          encode_masks, instance_miou)
from mmwsis.registry import DATASETS  # noqa: E402
from mmwsis.utils import load_config, register_all_modules  # noqa: E402
from projects.SuperpixelSnap.superpixel_snap import snap_masks  # noqa: E402

DEFAULT_SCALE = 0.05
README = osp.join(PROJECT, 'README.md')
MARKER = re.compile(r'(<!-- results:snap -->\n).*?(<!-- /results:snap -->)', re.S)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', nargs='?', help='e.g. configs/boxcaseg/boxcaseg_synthetic.py')
    parser.add_argument('pseudo_json', nargs='?', help='<work_dir>/pseudo_labels/train.json')
    parser.add_argument('--name', help='the result file name, e.g. boxcaseg_synthetic')
    parser.add_argument('--num-images', type=int, default=80)
    parser.add_argument('--scales', type=float, nargs='+', default=[0.02, 0.05, 0.1, 0.2])
    parser.add_argument('--out-dir', default=osp.join(PROJECT, 'results'))
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='KEY=VALUE overrides of CONFIG (its data_root, say)')
    parser.add_argument('--readme', action='store_true',
                        help="rewrite the project README's table from the result files")
    args = parser.parse_args()
    if not args.readme and not (args.config and args.pseudo_json and args.name):
        parser.error('CONFIG, PSEUDO_JSON and --name are needed (or --readme)')
    return args


def labelled(cfg, path: str, num_images: int) -> Tuple[int, List[ImageInstances], List[str]]:
    """The split's class count, its first ``num_images`` images with GT masks (pseudo
    labels of ``path`` and GT, :func:`~mmwsis.analysis.labelled_images`), and their files."""
    try:
        num_classes, images = labelled_images(cfg, path, num_images)
    except ValueError as error:
        raise SystemExit(f'{path}: {error}')
    reference = DATASETS.build(reference_dataset_cfg(cfg))
    infos = (reference.get_data_info(i) for i in range(min(num_images, len(reference))))
    return num_classes, images, [info['img_path'] for info in infos if info.get('has_masks')]


def snapped(images: Sequence[ImageInstances], files: Sequence[str],
            scale_per_area: float) -> List[ImageInstances]:
    out = []
    for image, path in zip(images, files):
        if not len(image.pred_masks):
            out.append(image)
            continue
        masks = decode_masks(image.pred_masks, image.pred_masks[0]['size'])
        masks = snap_masks(mmcv.imread(path, channel_order='rgb'), masks, scale_per_area)
        out.append(ImageInstances(pred_masks=encode_masks(masks),
                                  pred_labels=image.pred_labels,
                                  pred_scores=image.pred_scores, gt_masks=image.gt_masks,
                                  gt_labels=image.gt_labels))
    return out


def scores(images: Sequence[ImageInstances], num_classes: int) -> Dict[str, float]:
    return dict(score_instances(images, num_classes)['voc'],
                instance_mIoU=100 * instance_miou(images))


def measure(args: argparse.Namespace) -> dict:
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    num_classes, images, files = labelled(cfg, args.pseudo_json, args.num_images)
    result = dict(name=args.name, config=args.config, pseudo_json=args.pseudo_json,
                  images=len(images), before=scores(images, num_classes), after={})
    for scale in args.scales:
        result['after'][f'{scale:g}'] = scores(snapped(images, files, scale), num_classes)
        print(f'scale_per_area {scale:g}: ' + ', '.join(
            f'{k} {v:.1f}' for k, v in result['after'][f'{scale:g}'].items()), flush=True)
    result.update(command='python ' + ' '.join(sys.argv), machine=machine_description(),
                  date=datetime.date.today().isoformat(), commit=source_commit(REPO))
    return result


def table(results: List[dict]) -> str:
    columns = ('mAP50', 'mAP75', 'instance_mIoU')
    lines = ['| pseudo labels | images | as labelled: mAP50 / mAP75 / mIoU | snapped at '
             f'{DEFAULT_SCALE:g}: mAP50 / mAP75 / mIoU | best scale by mAP50 (mAP50) |',
             '|---|---|---|---|---|']
    for result in results:
        cells = [' / '.join(f'{values[c]:.1f}' for c in columns)
                 for values in (result['before'], result['after'][f'{DEFAULT_SCALE:g}'])]
        best = max(result['after'], key=lambda s: result['after'][s]['mAP50'])
        lines.append(f'| `{result["name"]}` | {result["images"]} | {cells[0]} | {cells[1]} | '
                     f'{best} ({result["after"][best]["mAP50"]:.1f}) |')
    commands = [f'- `{r["name"]}`: `{r["command"]}` ({r["machine"]}, {r["date"]}, commit '
                f'{r["commit"][:8]})' for r in results]
    return '\n'.join(lines + [''] + commands)


def write_readme(out_dir: str) -> None:
    results = []
    for path in sorted(glob.glob(osp.join(out_dir, '*.json'))):
        with open(path) as f:
            results.append(json.load(f))
    with open(README) as f:
        text = f.read()
    if not MARKER.search(text):
        raise SystemExit(f'{README} has no <!-- results:snap --> block')
    with open(README, 'w') as f:
        f.write(MARKER.sub(lambda m: m.group(1) + table(results) + '\n' + m.group(2), text))
    print(f'{README}: {len(results)} rows')


def main() -> None:
    args = parse_args()
    if args.readme:
        write_readme(args.out_dir)
        return
    result = measure(args)
    path = osp.join(args.out_dir, f'{args.name}.json')
    with open(path, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'written to {path}')


if __name__ == '__main__':
    main()
