"""Generate the built-in synthetic data (VOC + COCO layouts, salient objects).

    python tools/make_synthetic.py                    # shapes: data/synthetic
    python tools/make_synthetic.py --preset photo     # photographic scenes: data/synthetic_photo
    python tools/make_synthetic.py --preset tiny --out /tmp/synthetic_tiny

Two kinds of scenes: ``shapes`` (6 geometric classes, each with its own colour and
pattern) and ``photo`` (10 silhouette classes in 5 look-alike pairs, cut from the
photographs scikit-image bundles and pasted on others: the class is in the outline only).
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
TINY_PRESET = {'num_train': 16, 'num_val': 8, 'num_salient': 8, 'image_size': 96,
               'kind': 'shapes'}
# The demo every method trains and evaluates on (2 CPU cores).
DEFAULT_PRESET = {'num_train': 400, 'num_val': 100, 'num_salient': 200, 'image_size': 160,
                  'kind': 'shapes'}
# The same sizes, photographic scenes: what every method is also reported on.
PHOTO_PRESET = dict(DEFAULT_PRESET, kind='photo')
PRESETS = {'tiny': TINY_PRESET, 'default': DEFAULT_PRESET, 'photo': PHOTO_PRESET,
           'photo-tiny': dict(TINY_PRESET, kind='photo')}
DEFAULT_OUT = {'shapes': 'data/synthetic', 'photo': 'data/synthetic_photo'}


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
    parser.add_argument('--out', help='output directory (data/synthetic, or '
                        'data/synthetic_photo for the photo presets)')
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
        if getattr(args, key, None) is not None:
            sizes[key] = getattr(args, key)
    args.out = args.out or DEFAULT_OUT[sizes['kind']]
    start = time.perf_counter()
    records = write_synthetic_dataset(args.out, seed=args.seed, workers=args.workers,
                                      overwrite=args.overwrite, **sizes)
    elapsed = time.perf_counter() - start
    for split, recs in records.items():
        print(_format(split, recs))
    print(f'{sum(sizes[k] for k in ("num_train", "num_val", "num_salient"))} {sizes["kind"]} '
          f'images of {sizes["image_size"]} px in {elapsed:.1f} s with {args.workers} worker(s)')
    print(f'written to {Path(args.out).resolve()}')


if __name__ == '__main__':
    main()
