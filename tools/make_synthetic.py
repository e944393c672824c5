"""Generate the built-in synthetic shapes dataset (VOC + COCO layouts, salient objects).

    python tools/make_synthetic.py --preset tiny --out /tmp/synthetic_tiny
    python tools/make_synthetic.py            # default preset into data/synthetic
"""
import argparse
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence

if importlib.util.find_spec('mmwsis') is None:  # run from a clean clone, not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mmwsis.datasets.synthetic import SceneRecord, write_synthetic_dataset  # noqa: E402

# Unit tests: a couple of seconds on one core.
TINY_PRESET = {'num_train': 16, 'num_val': 8, 'num_salient': 8, 'image_size': 96}
# The demo every method trains and evaluates on (2 CPU cores).
DEFAULT_PRESET = {'num_train': 400, 'num_val': 100, 'num_salient': 200, 'image_size': 160}
PRESETS = {'tiny': TINY_PRESET, 'default': DEFAULT_PRESET}


def summarise(records: Sequence[SceneRecord]) -> Dict[str, object]:
    """Instance statistics of written scenes.

    Returns:
        ``histogram`` {K: number of images}, ``mean_instances``, ``repeated_class_images``
        (images with >= 2 instances of one class), ``touching_pair_share`` (touching pairs
        / all instance pairs in the same image) and ``same_class_touching_share`` (share of
        instances touching another instance of their class, whose merged connected
        component would be wrong).
    """
    num_pairs = num_touching = num_instances = same_class_touching = repeated = 0
    for rec in records:
        num_instances += len(rec.labels)
        num_pairs += len(rec.labels) * (len(rec.labels) - 1) // 2
        num_touching += len(rec.touching)
        repeated += max(Counter(rec.labels).values()) >= 2
        touched = {k for i, j in rec.touching if rec.labels[i - 1] == rec.labels[j - 1]
                   for k in (i, j)}
        same_class_touching += len(touched)
    return {
        'histogram': dict(sorted(Counter(len(r.labels) for r in records).items())),
        'mean_instances': num_instances / max(len(records), 1),
        'repeated_class_images': repeated,
        'touching_pair_share': num_touching / max(num_pairs, 1),
        'same_class_touching_share': same_class_touching / max(num_instances, 1),
    }


def _format(split: str, records: Sequence[SceneRecord]) -> str:
    s = summarise(records)
    hist = ' '.join(f'{k}:{n}' for k, n in s['histogram'].items())
    return (f'{split}: {len(records)} images, {s["mean_instances"]:.2f} instances/image '
            f'[K:images {hist}]\n'
            f'  images with >=2 instances of one class: {s["repeated_class_images"]} '
            f'({s["repeated_class_images"] / max(len(records), 1):.0%})\n'
            f'  touching instance pairs: {s["touching_pair_share"]:.0%}; instances touching '
            f'one of their class: {s["same_class_touching_share"]:.0%}')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default='data/synthetic', help='output directory')
    parser.add_argument('--preset', choices=sorted(PRESETS), default='default')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-train', type=int, help='override the preset')
    parser.add_argument('--num-val', type=int, help='override the preset')
    parser.add_argument('--num-salient', type=int, help='override the preset')
    parser.add_argument('--image-size', type=int, help='override the preset')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--overwrite', action='store_true',
                        help='replace an existing synthetic dataset at --out')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    sizes = dict(PRESETS[args.preset])
    for key in sizes:
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    start = time.perf_counter()
    records = write_synthetic_dataset(args.out, seed=args.seed, workers=args.workers,
                                      overwrite=args.overwrite, **sizes)
    elapsed = time.perf_counter() - start
    for split, recs in records.items():
        print(_format(split, recs))
    print(f'{sum(sizes[k] for k in ("num_train", "num_val", "num_salient"))} images of '
          f'{sizes["image_size"]} px in {elapsed:.1f} s with {args.workers} worker(s)')
    print(f'written to {Path(args.out).resolve()}')


if __name__ == '__main__':
    main()
