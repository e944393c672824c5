"""Recall of GT instances by the built-in segment proposals on a VOC-layout split.

Proposals are computed (through :class:`mmwsis.proposals.ProposalStore`, into a fresh
temporary cache unless ``--cache-dir`` is given) for every image of the split, then
matched class-agnostically to the GT instance masks. Recall is reported twice: with
every proposal pixel counted (as mmwsis's mask AP does) and with VOC's void band
(``SegmentationObject`` == 255) left out of the IoU (the usual proposal-evaluation
protocol). CPU time is that of the processes that computed proposals, per image.

    OMP_NUM_THREADS=1 python tools/benchmarks/proposal_recall.py \\
        --data-root data/synthetic --split val --max-proposals 100 --workers 2
"""
import argparse
import json
import os
import os.path as osp
import platform
import resource
import shlex
import sys
import tempfile
import time
from importlib.metadata import version

from mmwsis.datasets import VOC_CLASSES, VOCInstanceDataset
from mmwsis.datasets.voc import VOID, read_index_png
from mmwsis.evaluation.functional import encode_masks
from mmwsis.proposals import ProposalStore, proposal_recall


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data-root', default='data/synthetic')
    parser.add_argument('--split', default='val', help='ImageSets/Segmentation/<split>.txt')
    parser.add_argument('--max-proposals', type=int, default=100)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--cache-dir', help='keep the proposals here (default: temporary)')
    return parser.parse_args()


def cpu_seconds() -> float:
    """User + system CPU time of this process and its reaped children."""
    total = 0.
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def load_split(data_root: str, split: str) -> VOCInstanceDataset:
    meta_path = osp.join(data_root, 'meta.json')
    classes = VOC_CLASSES
    if osp.isfile(meta_path):
        with open(meta_path) as f:
            classes = tuple(json.load(f)['classes'])
    return VOCInstanceDataset(
        data_root=data_root, ann_file=f'ImageSets/Segmentation/{split}.txt',
        metainfo=dict(classes=classes), supervision='mask', pipeline=[],
        serialize_data=False)


def void_rle(info: dict) -> dict:
    path = osp.join(osp.dirname(osp.dirname(info['img_path'])), 'SegmentationObject',
                    f'{info["img_id"]}.png')
    return encode_masks((read_index_png(path) == VOID)[None])[0]


def main() -> None:
    args = parse_args()
    dataset = load_split(args.data_root, args.split)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    infos = [info for info in infos if info['has_masks']]
    with tempfile.TemporaryDirectory() as tmp:
        store = ProposalStore(args.cache_dir or tmp, max_proposals=args.max_proposals)
        wall, cpu = time.perf_counter(), cpu_seconds()
        computed = store.precompute(infos, workers=args.workers)
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        proposals = [store.get(info['img_id'], info['img_path']) for info in infos]
    gts = [[inst['mask'] for inst in info['instances']] for info in infos]
    voids = [void_rle(info) for info in infos]

    print(f'command : OMP_NUM_THREADS={os.environ.get("OMP_NUM_THREADS", "unset")} '
          f'python {shlex.join(sys.argv)}')
    print(f'machine : {platform.processor() or platform.machine()}, '
          f'{os.cpu_count()} CPUs, {platform.system()}; python {platform.python_version()}, '
          f'scikit-image {version("scikit-image")}')
    num_instances = sum(len(g) for g in gts)
    print(f'data    : {args.data_root} {args.split}, {len(infos)} images, '
          f'{num_instances} GT instances')
    if computed:
        print(f'time    : {computed} images computed with {args.workers} worker(s): '
              f'{wall / computed * 1000:.0f} ms wall and {cpu / computed * 1000:.0f} ms CPU '
              'per image')
    else:
        print(f'time    : every image was already cached in {args.cache_dir}; not timed')
    print()
    print('| proposals kept | void | recall@0.5 | recall@0.7 | MABO | mean #proposals |')
    print('|---|---|---|---|---|---|')
    for top in sorted({k for k in (10, 30) if k < args.max_proposals} | {args.max_proposals}):
        kept = [p.top(top) for p in proposals]
        for name, ignore in (('counted', None), ('ignored', voids)):
            r = proposal_recall(kept, gts, ignore_per_image=ignore)
            print(f'| top {top} | {name} | {r["recall@0.5"]:.3f} | {r["recall@0.7"]:.3f} | '
                  f'{r["mabo"]:.3f} | {r["mean_proposals"]:.1f} |')


if __name__ == '__main__':
    main()
