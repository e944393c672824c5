"""Throughput of IRNet's instance labeler per image, stage by stage, and across processes.

The labeler's work after the teacher's forward pass (``IRNInstanceLabeler.per_image`` and
the writer's RLE encoding) on generated teacher outputs of one image size: CAMs as soft
blobs, a boundary map of soft closed curves around them (``bench_random_walk.py``'s
inputs) and a displacement field pointing to each blob's centre, with noise. Stages:

* ``clustering``: following the displacement field to the centres (300 bilinear steps,
  ``cluster_instances``);
* ``boundary split``: cutting instances along the boundary map
  (``split_instances_by_boundary``);
* ``walk``: the random walk of every (class, instance) seed (``instance_scores_from_cams``);
* ``masks``: upsampling to the image and the connected segments (``instances_from_scores``);
* ``rle``: pycocotools' encoding of the masks, as the pseudo-label writer stores them.

Then the whole labeler on ``--images`` images split over 1..``--processes`` worker
processes (what ``tools/dist_test.sh`` ranks do on one machine), each making its inputs
first and then timing its labelling: images / the slowest worker's seconds.

    OMP_NUM_THREADS=1 python tools/benchmarks/bench_irn_labeler.py --size 160x160 500x375

The labeler settings default to ``configs/irn/irn_synthetic.py``'s (32 walk steps, split at
0.15); ``--log2-steps 8 --boundary-split none`` is the paper's.

``mmwsis/pseudo`` needs only numpy, scipy and pycocotools; it is imported without
``mmwsis/__init__`` (which imports mmcv and mmdet).
"""
import argparse
import importlib
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import pycocotools.mask as mask_utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_random_walk import grid_shape, import_random_walk, synthetic_inputs  # noqa: E402

STAGES = ('clustering', 'boundary split', 'walk', 'masks', 'rle')


def irn_instances():
    """``mmwsis/pseudo/irn_instances.py`` without ``mmwsis/__init__``."""
    import_random_walk()  # registers the bare package it lives in
    return importlib.import_module('mmwsis_pseudo.irn_instances')


def teacher_outputs(size: str, channels: int, seed: int) -> tuple:
    """CAMs (K, h, w), boundary (h, w), displacement (2, h, w) on the stride-4 grid of an
    image ``size`` (``'WxH'``), and the image's ``(H, W)``."""
    shape = grid_shape(size)
    cams, boundary = synthetic_inputs(shape, channels, seed)
    rng = np.random.default_rng(seed + 1)
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float64)
    displacement = 0.3 * rng.standard_normal((2, *shape))
    for cam in cams:  # each blob's pixels point to its peak
        cy, cx = np.unravel_index(np.argmax(cam), cam.shape)
        inside = cam > 0.1 * cam.max()
        displacement[0][inside] += (cy - ys)[inside]
        displacement[1][inside] += (cx - xs)[inside]
    width, height = (int(v) for v in size.lower().split('x'))
    return cams.astype(np.float32), boundary, displacement, (height, width)


def label_image(module, inputs: tuple, settings: dict,
                timings: Optional[Dict[str, float]] = None) -> int:
    """IRNet's labeler on one image's outputs, adding each stage's seconds to
    ``timings``; returns the number of masks."""
    cams, boundary, displacement, image_size = inputs
    timings = {} if timings is None else timings
    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock[0]
        clock[0] = now

    instance_map = module.cluster_instances(displacement)
    lap('clustering')
    if settings['boundary_split'] is not None:
        instance_map = module.split_instances_by_boundary(instance_map, boundary,
                                                          settings['boundary_split'])
    lap('boundary split')
    scores = module.instance_scores_from_cams(cams, instance_map, boundary,
                                              log2_steps=settings['log2_steps'])
    lap('walk')
    masks, _, _ = module.instances_from_scores(scores, np.arange(len(cams)), image_size)
    lap('masks')
    for mask in masks:
        mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    lap('rle')
    return len(masks)


def label_shard(size: str, channels: int, seeds: List[int], settings: dict) -> float:
    """Label one worker's images (inputs made beforehand); returns the labelling seconds."""
    module = irn_instances()
    inputs = [teacher_outputs(size, channels, seed) for seed in seeds]
    start = time.perf_counter()
    for one in inputs:
        label_image(module, one, settings)
    return time.perf_counter() - start


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', nargs='+', default=['160x160', '500x375'],
                        help='image sizes WIDTHxHEIGHT')
    parser.add_argument('--channels', type=int, default=2,
                        help='classes per image (VOC: 1.5 on average)')
    parser.add_argument('--images', type=int, default=20, help='images per size')
    parser.add_argument('--processes', type=int, default=2, help='up to this many workers')
    parser.add_argument('--log2-steps', type=int, default=5)
    parser.add_argument('--boundary-split', default='0.15', help="a threshold or 'none'")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    settings = dict(log2_steps=args.log2_steps,
                    boundary_split=None if args.boundary_split == 'none'
                    else float(args.boundary_split))
    module = irn_instances()
    print(f'IRNet labeler, {args.images} generated images per size, {args.channels} classes '
          f'each, {2 ** args.log2_steps} walk steps, boundary split {args.boundary_split}; '
          f'{platform.machine()}, {os.cpu_count()} cores, OMP_NUM_THREADS='
          f'{os.environ.get("OMP_NUM_THREADS", "unset")}')
    print(f'python {" ".join(sys.argv)}\n')
    print('| image | ' + ' | '.join(f'{stage} ms' for stage in STAGES)
          + ' | total ms | masks | ' + ' | '.join(
              f'{p} proc. img/s' for p in range(1, args.processes + 1)) + ' |')
    print('|---|' + '---|' * (len(STAGES) + 2 + args.processes))
    for size in args.size:
        timings: Dict[str, float] = {}
        masks = 0
        for seed in range(args.images):
            masks += label_image(module, teacher_outputs(size, args.channels, seed),
                                 settings, timings)
        per_image = {stage: 1000 * timings[stage] / args.images for stage in STAGES}
        rates = []
        for processes in range(1, args.processes + 1):
            shards = [list(range(args.images))[rank::processes] for rank in range(processes)]
            with ProcessPoolExecutor(processes) as pool:
                seconds = list(pool.map(label_shard, [size] * processes,
                                        [args.channels] * processes, shards,
                                        [settings] * processes))
            rates.append(args.images / max(seconds))  # the slowest worker's labelling
        print(f'| {size} | ' + ' | '.join(f'{per_image[s]:.0f}' for s in STAGES)
              + f' | {sum(per_image.values()):.0f} | {masks / args.images:.1f} | '
              + ' | '.join(f'{rate:.2f}' for rate in rates) + ' |', flush=True)


if __name__ == '__main__':
    main()
