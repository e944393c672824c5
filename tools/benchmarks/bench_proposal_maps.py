"""CIM's proposal maps (mask IoU and containment of every pair) at COB's scale.

On photographs that scikit-image ships, resized to VOC's 500 x 375, the built-in
generator makes a segment hierarchy (Felzenszwalb at many scales, grouped as selective
search), as COB's or MCG's proposals are. For each proposal count it times:

* pycocotools on the RLEs (``mask.iou``, plain and crowd: the IoU and the containment);
* the atoms (:func:`mmwsis.pseudo.proposal_atoms`) and the maps rebuilt from them
  (:func:`mmwsis.pseudo.overlaps_from_atoms`), as ``LoadProposalsWithRelations`` does;

checks that both give the same maps, and compares what a cache of each takes per image.
Proposal generation is not timed. With ``--data-root``, the same per image (means) over
the first ``--num-images`` train images of a VOC-layout root, on the proposals its store
already holds (as the CIM configs read them).

    OMP_NUM_THREADS=1 python tools/benchmarks/bench_proposal_maps.py \\
        --num-proposals 100 4096 --images coffee chelsea
    OMP_NUM_THREADS=1 python tools/benchmarks/bench_proposal_maps.py \\
        --data-root data/synthetic data/synthetic_photo
"""
import argparse
import json
import os
import os.path as osp
import pickle
import platform
import shlex
import sys
import time
from typing import Callable, List, Tuple

import numpy as np
import skimage.data
from pycocotools import mask as mask_utils
from skimage.transform import resize

from mmwsis.proposals import ProposalStore
from mmwsis.proposals.generator import generate_proposals
from mmwsis.pseudo import overlaps_from_atoms, pack_atoms, proposal_atoms

# Felzenszwalb scales of the hierarchy: twelve over-segmentations, so that 4,096 distinct
# regions exist on a 500 x 375 photograph (the generator's default three give ~500).
HIERARCHY_SCALES = (20, 35, 50, 75, 100, 150, 220, 300, 400, 600, 900, 1300)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--num-proposals', type=int, nargs='+', default=[100, 4096])
    parser.add_argument('--images', nargs='+', default=['coffee', 'chelsea'],
                        help='scikit-image data images')
    parser.add_argument('--size', type=int, nargs=2, default=[500, 375], metavar=('W', 'H'))
    parser.add_argument('--data-root', nargs='+', help='VOC-layout roots (instead of photos)')
    parser.add_argument('--store', default='proposals/generate_100',
                        help='proposal store under each data root')
    parser.add_argument('--num-images', type=int, default=50)
    return parser.parse_args()


def timed(function: Callable, *args) -> Tuple[object, float]:
    start = time.perf_counter()
    out = function(*args)
    return out, time.perf_counter() - start


def pycocotools_maps(rles: list) -> Tuple[np.ndarray, np.ndarray]:
    """The maps straight from the RLEs: pycocotools' crowd IoU is the containment, transposed."""
    plain = np.asarray(mask_utils.iou(rles, rles, [0] * len(rles)), np.float32)
    crowd = np.asarray(mask_utils.iou(rles, rles, [1] * len(rles)), np.float32)
    return plain, np.ascontiguousarray(crowd.T)


def measure(rles: list) -> dict:
    """Times, agreement and cache sizes of both ways for one image's proposals."""
    (reference, containment), slow = timed(pycocotools_maps, rles)
    (membership, areas), atoms_time = timed(proposal_atoms, rles)
    (iou, inside), maps_time = timed(overlaps_from_atoms, membership, areas)
    return dict(proposals=len(rles), atoms=len(areas), pycocotools=slow, atoms_time=atoms_time,
                maps_time=maps_time,
                difference=max(np.abs(iou - reference).max(initial=0),
                               np.abs(inside - containment).max(initial=0)),
                maps_bytes=2 * 2 * len(rles) ** 2,
                atom_bytes=len(pickle.dumps(pack_atoms(membership, areas))) + 49 * len(rles))


def print_row(name: str, rows: List[dict]) -> None:
    mean = {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}
    difference = max(row['difference'] for row in rows)
    print(f'| {name} | {mean["proposals"]:.0f} | {mean["atoms"]:.0f} '
          f'| {mean["pycocotools"] * 1000:.0f} ms | {mean["atoms_time"] * 1000:.0f} + '
          f'{mean["maps_time"] * 1000:.0f} ms | {difference:.1e} '
          f'| {mean["maps_bytes"] / 2**10:.0f} KiB | {mean["atom_bytes"] / 2**10:.0f} KiB |')


def store_proposals(data_root: str, store_dir: str, num_images: int) -> List[list]:
    """The first train images' proposals, from the store under ``data_root``."""
    with open(osp.join(data_root, 'ImageSets', 'Segmentation', 'train.txt')) as f:
        img_ids = f.read().split()[:num_images]
    with open(osp.join(data_root, store_dir, 'meta.json')) as f:
        meta = json.load(f)
    store = ProposalStore(osp.join(data_root, store_dir), meta['source'], meta['source_dir'],
                          meta['max_proposals'])
    return [store.get(i, osp.join(data_root, 'JPEGImages', f'{i}.jpg')).masks
            for i in img_ids]


def main() -> None:
    args = parse_args()
    print(f'command : OMP_NUM_THREADS={os.environ.get("OMP_NUM_THREADS", "unset")} '
          f'python {shlex.join(sys.argv)}')
    print(f'machine : {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, '
          f'{platform.system()}; python {platform.python_version()}, numpy {np.__version__}')
    print()
    print('| image | proposals | atoms | pycocotools | atoms + maps | max difference '
          '| cache: float16 maps | cache: atoms + 7x7 masks |')
    print('|---|---|---|---|---|---|---|---|')
    if args.data_root:
        for data_root in args.data_root:
            rows = [measure(rles)
                    for rles in store_proposals(data_root, args.store, args.num_images)]
            print_row(f'{data_root}, first {len(rows)} train', rows)
        return
    width, height = args.size
    for name in args.images:
        image = (resize(getattr(skimage.data, name)()[..., :3], (height, width)) * 255
                 ).astype(np.uint8)
        for count in args.num_proposals:
            proposals = generate_proposals(image, max_proposals=count, scales=HIERARCHY_SCALES,
                                           min_area=0.0003, dedup_iou=0.98)
            print_row(name, [measure(proposals.masks)])


if __name__ == '__main__':
    main()
