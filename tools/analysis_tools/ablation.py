"""A method's ablation: its model's switches on and off, scored on train GT.

    python tools/analysis_tools/ablation.py CONFIG [--variants NAME ...]
        [--num-images 80] [--work-dir DIR] [--reuse VARIANT=PSEUDO_JSON ...]
        [--cfg-options KEY=VALUE ...] [--out JSON]

CONFIG is a method config whose model has an ablation below (``configs/cim/cim-p_synthetic.py``,
``configs/bestie/bestie_synthetic.py``, ``configs/boxcaseg/boxcaseg_synthetic.py``). For each variant the teacher is trained with
``tools/train.py`` (which then labels the training split, as ``mim train`` does) into
``DIR/<variant>``, and its pseudo labels are scored on the GT of the first
``--num-images`` training images (never val), in both protocols. Each training run's
hook labels only those first images.

``CIMNet`` (the paper's claim: mining and integrity each help):

* ``cim``: the config (mining and integrity heads, CIM's);
* ``no-mining``: each refinement branch trained towards its top-scoring seeds, not the
  complete instances containing them (``model.complete_instances=False``);
* ``no-integrity``: no integrity heads (``model.integrity=False``);
* ``pcl``: neither, the PCL / OICR-style refinement CIM starts from.

``BESTIE`` (the paper's claim: online self-refinement counters the semantic drift of the
transferred targets):

* ``bestie``: the config (transferred and self-refined targets);
* ``no-refinement``: the transferred targets alone (``model.self_refinement=False``).

``BoxCaseg`` (the paper's claim: salient images of other scenes teach the box-to-mask
model what an object's mask is):

* ``boxcaseg``: the config (boxes and salient images shuffled together; the synthetic
  configs label with the box head);
* ``salient-head``: the same training, the salient head labels
  (``pseudo_label.labeler.head='salient'``, BoxCaseg's; ``--reuse`` the config's checkpoint
  relabelled so, as it trains the same);
* ``box-only``: the boxes alone (``train_dataloader.sampler.ratio=1.0``: no salient
  image is drawn), labelled by the box head.

A variant whose pseudo labels exist is scored, not retrained; ``--reuse cim=<json>``
scores a pipeline's stage-B output instead (``<work-dir>/cim/pseudo_labels/train.json``).
``--cfg-options`` go to every training run (the PRM peaks of an image-label CIM config,
the WSSS maps and PAM points of a BESTIE pipeline).
``--out`` writes the numbers (``configs/<method>/ablations/<config name>.json`` is what
``tools/misc/update_results.py`` puts on the method's page).
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from mmengine.config import DictAction  # noqa: E402

from mmwsis.analysis import score_pseudo_json  # noqa: E402
from mmwsis.engine.pipeline import machine_description, source_commit  # noqa: E402
from mmwsis.pseudo import write_json_atomic  # noqa: E402
from mmwsis.utils import load_config, register_all_modules  # noqa: E402

# model type -> variant -> (what it is, config options); the first variant is the config.
ABLATIONS: Dict[str, Dict[str, tuple]] = {
    'CIMNet': {
        'cim': ('mining + integrity (CIM)', {}),
        'no-mining': ('integrity, no mining', {'model.complete_instances': False}),
        'no-integrity': ('mining, no integrity', {'model.integrity': False}),
        'pcl': ('neither (PCL refinement)', {'model.complete_instances': False,
                                             'model.integrity': False}),
    },
    'BESTIE': {
        'bestie': ('transfer + self-refinement (BESTIE)', {}),
        'no-refinement': ('transfer only', {'model.self_refinement': False}),
    },
    'BoxCaseg': {
        'boxcaseg': ('boxes + salient images (the config)', {}),
        'salient-head': ('boxes + salient images, salient head labels (BoxCaseg)',
                         {'pseudo_label.labeler.head': 'salient'}),
        'box-only': ('boxes alone, box head labels', {'train_dataloader.sampler.ratio': 1.0}),
    },
}
VARIANT_NAMES = sorted({name for variants in ABLATIONS.values() for name in variants})


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='e.g. configs/cim/cim-p_synthetic.py')
    parser.add_argument('--variants', nargs='+', choices=VARIANT_NAMES,
                        help="default: all of the model's")
    parser.add_argument('--num-images', type=int, default=80,
                        help='score the first N training images (default 80)')
    parser.add_argument('--work-dir', help='default: work_dirs/ablation/<config name>')
    parser.add_argument('--reuse', nargs='+', action=DictAction, default={},
                        help='VARIANT=PSEUDO_JSON: score that json instead of training')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='KEY=VALUE overrides for every training run')
    parser.add_argument('--out', help='write the numbers to this json')
    return parser.parse_args()


def option_args(options: Dict[str, object]) -> List[str]:
    return [f'{key}={value}' for key, value in options.items()]


def train_variant(config: str, work_dir: str, options: Dict[str, object]) -> float:
    """Train one variant (resuming an interrupted run); returns the seconds it took."""
    command = [sys.executable, osp.join(REPO_ROOT, 'tools', 'train.py'), config,
               '--work-dir', work_dir]
    if osp.isfile(osp.join(work_dir, 'last_checkpoint')):
        command.append('--resume')
    command += ['--cfg-options'] + option_args(options)  # never empty: the indices
    os.makedirs(work_dir, exist_ok=True)
    log_path = osp.join(work_dir, 'ablation_train.log')
    print('$ ' + ' '.join(command), f'(log: {log_path})', flush=True)
    start = time.time()
    with open(log_path, 'a') as log:
        if subprocess.run(command, stdout=log, stderr=subprocess.STDOUT).returncode:
            sys.exit(f'training {work_dir} failed: see {log_path}')
    return time.time() - start


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = load_config(args.config)
    model_type = cfg.model.get('type')
    if model_type not in ABLATIONS:
        sys.exit(f'{args.config}: its model is {model_type}; ablations exist for '
                 f'{", ".join(ABLATIONS)}')
    variants = ABLATIONS[model_type]
    unknown = sorted(set(args.variants or ()).union(args.reuse) - set(variants))
    if unknown:
        sys.exit(f'{model_type} has no variant {unknown[0]!r}; one of {", ".join(variants)}')
    name = osp.splitext(osp.basename(args.config))[0]
    work_dir = args.work_dir or osp.join('work_dirs', 'ablation', name)
    rows = []
    for variant in args.variants or list(variants):
        title, options = variants[variant]
        # Its hook labels only the images scored (mmengine's ``indices``: the first N).
        options = {'pseudo_label.dataloader.dataset.indices': args.num_images,
                   **args.cfg_options, **options}
        labels = args.reuse.get(variant) or osp.join(work_dir, variant, 'pseudo_labels',
                                                     'train.json')
        seconds = None
        if not osp.isfile(labels):
            if variant in args.reuse:
                sys.exit(f'--reuse {variant}={labels}: no such file')
            seconds = train_variant(args.config, osp.join(work_dir, variant), options)
            if not osp.isfile(labels):
                sys.exit(f'{labels}: training finished without pseudo labels; is the '
                         'PseudoLabelHook disabled in this config?')
        try:
            count, scores = score_pseudo_json(cfg, labels, args.num_images)
        except ValueError as error:
            sys.exit(f'{labels}: {error}')
        rows.append(dict(variant=variant, title=title,
                         options=dict(variants[variant][1]),
                         pseudo_labels=osp.relpath(labels), images=count,
                         train_seconds=seconds, **scores))
        print(f'{variant}: VOC ' + ' '.join(f'{k} {v:.1f}' for k, v in scores['voc'].items()),
              flush=True)
    columns = list(rows[0]['voc'])
    print(f'\n{args.config}: pseudo labels on the first {args.num_images} training images '
          '(%, VOC mAP^r; COCOeval mAP50 last)')
    print('| variant | ' + ' | '.join(columns) + ' | COCOeval mAP50 |')
    print('|---|' + '---|' * (len(columns) + 1))
    for row in rows:
        print(f'| {row["title"]} | ' + ' | '.join(f'{row["voc"][c]:.1f}' for c in columns)
              + f' | {row["coco"]["mAP50"]:.1f} |')
    if args.out:
        command = ['python', osp.relpath(__file__, REPO_ROOT)] + sys.argv[1:]
        write_json_atomic(dict(
            config=osp.relpath(args.config), num_images=args.num_images, columns=columns,
            rows=rows, command=' '.join(command), machine=machine_description(),
            date=time.strftime('%Y-%m-%d'), commit=source_commit()), args.out)
        print(f'written: {args.out}')


if __name__ == '__main__':
    main()
