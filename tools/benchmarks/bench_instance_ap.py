"""Time the instance-AP functions on random VOC-sized data.

Each image gets a few ground-truth ellipses (later ones occlude earlier ones, each
with a void ring as in VOC's SegmentationObject) and ``--preds`` predicted ellipses,
some jittered copies of the GT, the rest random. RLE encoding of all masks,
``voc_instance_ap`` and ``coco_instance_ap`` are timed separately; the random
synthesis itself is not.

    python tools/benchmarks/bench_instance_ap.py --images 1449 --preds 100
"""
import argparse
import os
import platform
import shlex
import sys
import time
from importlib.metadata import version

import numpy as np

from mmwsis.evaluation.functional import (ImageInstances, coco_instance_ap,
                                          encode_masks, voc_instance_ap)

NUM_CLASSES = 20
VOID = 255


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--images', type=int, default=1449, help='number of images')
    parser.add_argument('--preds', type=int, default=100, help='predictions per image')
    parser.add_argument('--height', type=int, default=375)
    parser.add_argument('--width', type=int, default=500)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def paint_ellipse(canvas: np.ndarray, params: np.ndarray, value: int,
                  scale: float = 1.0) -> None:
    """Set ``canvas`` (H, W) to ``value`` inside the ellipse ``params``, in place.

    ``params`` is (cy, cx, ay, ax, angle); ``scale`` > 1 grows both semi-axes.
    """
    cy, cx, ay, ax, angle = params
    ay, ax = ay * scale, ax * scale
    reach = max(ay, ax)
    height, width = canvas.shape
    y0, y1 = int(max(cy - reach, 0)), int(min(cy + reach + 1, height))
    x0, x1 = int(max(cx - reach, 0)), int(min(cx + reach + 1, width))
    if y0 >= y1 or x0 >= x1:
        return
    ys = np.arange(y0, y1)[:, None] - cy
    xs = np.arange(x0, x1)[None, :] - cx
    cos, sin = np.cos(angle), np.sin(angle)
    u, v = cos * ys + sin * xs, -sin * ys + cos * xs
    inside = (u / ay) ** 2 + (v / ax) ** 2 <= 1
    canvas[y0:y1, x0:x1][inside] = value


def random_ellipses(rng: np.random.Generator, count: int, height: int,
                    width: int) -> np.ndarray:
    """(count, 5) random ellipses (cy, cx, ay, ax, angle)."""
    return np.stack([rng.uniform(0, height, count), rng.uniform(0, width, count),
                     rng.uniform(15, 110, count), rng.uniform(15, 110, count),
                     rng.uniform(0, np.pi, count)], axis=1)


def synthesise_image(rng: np.random.Generator, num_preds: int, height: int,
                     width: int) -> tuple:
    """Masks, labels and scores of one image.

    Returns:
        gt_masks (G, H, W) bool, gt_labels (G,), pred_masks (P, H, W) bool,
        pred_labels (P,), pred_scores (P,).
    """
    gt_params = random_ellipses(rng, int(rng.integers(1, 5)), height, width)
    instance_map = np.zeros((height, width), dtype=np.uint8)
    for k, params in enumerate(gt_params, start=1):
        paint_ellipse(instance_map, params, VOID, scale=1.06)
        paint_ellipse(instance_map, params, k)
    present = [k for k in range(1, len(gt_params) + 1) if (instance_map == k).any()]
    gt_masks = instance_map[None] == np.array(present, dtype=np.uint8)[:, None, None]
    gt_labels = rng.integers(0, NUM_CLASSES, len(present))

    num_near = min(num_preds, 8 * len(present))
    source = rng.integers(0, len(present), num_near)
    near = gt_params[np.array(present)[source] - 1].copy()
    near[:, :2] += rng.normal(0, 8, (num_near, 2))
    near[:, 2:4] *= rng.uniform(0.8, 1.2, (num_near, 2))
    params = np.concatenate(
        [near, random_ellipses(rng, num_preds - num_near, height, width)])
    pred_masks = np.zeros((num_preds, height, width), dtype=bool)
    for canvas, ellipse in zip(pred_masks, params):
        paint_ellipse(canvas, ellipse, 1)
    keep_label = rng.random(num_near) < 0.8
    pred_labels = np.concatenate([
        np.where(keep_label, gt_labels[source], rng.integers(0, NUM_CLASSES, num_near)),
        rng.integers(0, NUM_CLASSES, num_preds - num_near)])
    pred_scores = np.concatenate([rng.uniform(0.3, 1.0, num_near),
                                  rng.uniform(0.0, 0.7, num_preds - num_near)])
    return gt_masks, gt_labels, pred_masks, pred_labels, pred_scores


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(args.seed)
    images, encode_seconds, num_masks = [], 0.0, 0
    start = time.perf_counter()
    for _ in range(args.images):
        gt_masks, gt_labels, pred_masks, pred_labels, pred_scores = synthesise_image(
            rng, args.preds, args.height, args.width)
        tic = time.perf_counter()
        gt_rles, pred_rles = encode_masks(gt_masks), encode_masks(pred_masks)
        encode_seconds += time.perf_counter() - tic
        num_masks += len(gt_rles) + len(pred_rles)
        images.append(ImageInstances(pred_rles, pred_labels, pred_scores, gt_rles,
                                     gt_labels))
    synthesis_seconds = time.perf_counter() - start - encode_seconds

    timings = [('RLE encoding', encode_seconds)]
    results = {}
    for name, function in (('voc_instance_ap', voc_instance_ap),
                           ('coco_instance_ap', coco_instance_ap)):
        tic = time.perf_counter()
        results[name] = function(images, NUM_CLASSES)
        timings.append((name, time.perf_counter() - tic))

    num_gt = sum(len(image.gt_masks) for image in images)
    print('command : python ' + shlex.join(sys.argv))
    print(f'machine : {platform.processor() or platform.machine()}, '
          f'{os.cpu_count()} CPUs, {platform.system()}')
    print(f'versions: python {platform.python_version()}, numpy {np.__version__}, '
          f'pycocotools {version("pycocotools")}')
    print(f'data    : {args.images} images of {args.height}x{args.width}, '
          f'{num_gt} GT and {args.images * args.preds} predicted masks '
          f'({num_masks} RLEs); synthesis took {synthesis_seconds:.1f} s (untimed)')
    print()
    print(f'| {"stage":<18} | {"seconds":>8} | {"ms / image":>10} |')
    print(f'|{"-" * 20}|{"-" * 9}:|{"-" * 11}:|')
    for name, seconds in timings:
        print(f'| {name:<18} | {seconds:8.2f} | {1e3 * seconds / args.images:10.2f} |')
    print()
    thrs = ' / '.join(f'{t:g}' for t in results['voc_instance_ap']['iou_thrs'])
    for name, result in results.items():
        maps = ' / '.join(f'{100 * m:.1f}' for m in result['map'])
        print(f'{name} mAP@{thrs}: {maps}')


if __name__ == '__main__':
    main()
