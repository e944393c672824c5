"""Time and peak memory of IRNet's random walk: sparse products vs the dense squaring.

The inputs mimic one VOC image on IRNet's stride-4 grid: a boundary map made of a few
soft closed curves over weak noise, and ``--channels`` CAM-like seed maps, one blob per
curve. Each method runs in its own subprocess, so the peak resident memory (``VmHWM``)
of one does not hide the other; the transition-matrix build is timed on its own, then the
whole walk (build included). Both outputs are compared at the end: labels are the argmax
over ``[0.25, maps / global max]`` on the stride-4 grid, as IRNet's labels are.

    python tools/benchmarks/bench_random_walk.py --size 500x375 --channels 4

``mmwsis/pseudo`` needs only numpy and scipy; it is imported without running
``mmwsis/__init__`` (which imports mmcv and mmdet), so this runs in a bare environment.
"""
import argparse
import importlib
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Dict, Tuple

import numpy as np
import scipy

BG_THRESHOLD = 0.25


def import_random_walk() -> types.ModuleType:
    """``mmwsis/pseudo/random_walk.py`` as a module, without ``mmwsis/__init__``."""
    package = types.ModuleType('mmwsis_pseudo')
    package.__path__ = [str(Path(__file__).resolve().parents[2] / 'mmwsis' / 'pseudo')]
    sys.modules[package.__name__] = package
    return importlib.import_module('mmwsis_pseudo.random_walk')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', default='500x375', help='image WIDTHxHEIGHT in pixels')
    parser.add_argument('--channels', type=int, default=4, help='number of seed maps K')
    parser.add_argument('--skip-dense', action='store_true', help='run the sparse walk only')
    parser.add_argument('--dtype', default='float32', choices=['float32', 'float64'],
                        help='float32 is what IRNet computes in')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--worker', choices=['sparse', 'dense'], help=argparse.SUPPRESS)
    parser.add_argument('--out', help=argparse.SUPPRESS)
    return parser.parse_args()


def grid_shape(size: str) -> Tuple[int, int]:
    """``'WxH'`` → stride-4 grid ``(⌈H/4⌉, ⌈W/4⌉)``."""
    width, height = (int(v) for v in size.lower().split('x'))
    return -(-height // 4), -(-width // 4)


def synthetic_inputs(shape: Tuple[int, int], channels: int,
                     seed: int) -> Tuple[np.ndarray, np.ndarray]:
    """Seeds (K, h, w) and boundary (h, w) in [0, 1]: soft ellipses and blobs inside them."""
    rng = np.random.default_rng(seed)
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    boundary = 0.1 * rng.random(shape)**2
    seeds = np.zeros((channels, h, w))
    for k in range(max(channels, 4)):
        cy, cx = rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w
        ay, ax = rng.uniform(0.1, 0.3) * h, rng.uniform(0.1, 0.3) * w
        angle = rng.uniform(0, np.pi)
        u = np.cos(angle) * (ys - cy) + np.sin(angle) * (xs - cx)
        v = -np.sin(angle) * (ys - cy) + np.cos(angle) * (xs - cx)
        radius = np.hypot(u / ay, v / ax)
        distance = np.abs(radius - 1) * min(ay, ax)  # ≈ cells to the curve
        boundary = np.maximum(boundary, rng.uniform(0.7, 1.0) * np.exp(-0.5 * distance**2))
        if k < channels:
            seeds[k] = np.exp(-2 * radius**2) * rng.uniform(0.5, 1.0)
    return seeds, boundary


def memory_kib(field: str) -> int:
    """``VmRSS`` / ``VmHWM`` of this process in KiB."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise RuntimeError(f'{field} not in /proc/self/status')


def run_worker(args: argparse.Namespace) -> None:
    """Run one method; print its measurements as JSON and save its output to ``--out``."""
    random_walk = import_random_walk()
    dtype = np.dtype(args.dtype)
    seeds, boundary = synthetic_inputs(grid_shape(args.size), args.channels, args.seed)
    walk = random_walk.random_walk if args.worker == 'sparse' else random_walk.random_walk_dense
    rss_before = memory_kib('VmRSS')
    start = time.perf_counter()
    trans = random_walk.transition_matrix(boundary, dtype=dtype)
    build_s = time.perf_counter() - start
    nnz = trans.nnz
    del trans
    start = time.perf_counter()
    walked = walk(seeds, boundary, dtype=dtype)
    total_s = time.perf_counter() - start
    np.save(args.out, walked)
    print(json.dumps(dict(build_s=build_s, total_s=total_s, nnz=nnz, rss_before_kib=rss_before,
                          peak_kib=memory_kib('VmHWM'))))


def labels(walked: np.ndarray) -> np.ndarray:
    """(K, h, w) → (h, w) argmax over ``[BG_THRESHOLD, walked / global max]``."""
    background = np.full((1, ) + walked.shape[1:], BG_THRESHOLD)
    return np.argmax(np.concatenate([background, walked / walked.max()]), axis=0)


def run_method(method: str, args: argparse.Namespace, out: Path) -> Dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), '--worker', method,
               '--out', str(out), '--size', args.size, '--channels', str(args.channels),
               '--dtype', args.dtype, '--seed', str(args.seed)]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def cpu_name() -> str:
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    args = parse_args()
    if args.worker:
        run_worker(args)
        return
    h, w = grid_shape(args.size)
    print('command: ' + shlex.join([sys.executable] + sys.argv))
    print(f'machine: {cpu_name()}, os.cpu_count()={os.cpu_count()}, {platform.platform()}')
    print(f'python {platform.python_version()}, numpy {np.__version__}, '
          f'scipy {scipy.__version__}, dtype {args.dtype}')
    print(f'image {args.size} -> stride-4 grid {h}x{w} = {h * w} nodes, '
          f'K={args.channels}, radius 5, beta 10, 2^8 steps\n')
    methods = ['sparse'] if args.skip_dense else ['sparse', 'dense']
    results, outputs = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for method in methods:
            out = Path(tmp) / f'{method}.npy'
            results[method] = run_method(method, args, out)
            outputs[method] = np.load(out)
    print('| method | build T (s) | walk, build included (s) | T nnz | RSS before (MiB) '
          '| peak RSS (MiB) | peak - before (MiB) |')
    print('|---|---|---|---|---|---|---|')
    for method, r in results.items():
        nnz = r['nnz'] if method == 'sparse' else f"{r['nnz']} -> {(h * w)**2} dense"
        print(f"| {method} | {r['build_s']:.3f} | {r['total_s']:.2f} | {nnz} "
              f"| {r['rss_before_kib'] / 1024:.0f} | {r['peak_kib'] / 1024:.0f} "
              f"| {(r['peak_kib'] - r['rss_before_kib']) / 1024:.0f} |")
    if 'dense' in outputs:
        sparse, dense = outputs['sparse'], outputs['dense']
        agree = (labels(sparse) == labels(dense)).mean()
        rel = np.abs(sparse - dense).max() / np.abs(dense).max()
        print(f'\nagreement: labels {100 * agree:.4f} % of {h * w} nodes, '
              f'max |sparse - dense| / max |dense| = {rel:.2e}')


if __name__ == '__main__':
    main()
