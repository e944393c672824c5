"""Test (and evaluate) a checkpoint with an mmwsis config (mmdet's tools/test.py shape)."""
import argparse
import os
import os.path as osp
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import mmwsis  # noqa: E402,F401
from mmdet.engine.hooks.utils import trigger_visualization_hook  # noqa: E402
from mmdet.evaluation import DumpDetResults  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from mmwsis.engine.pseudo_label import pseudo_label_loop_cfgs  # noqa: E402
from mmwsis.registry import RUNNERS  # noqa: E402
from mmwsis.utils import load_config, prepare_cpu_ranks, register_all_modules  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and evaluate) an mmwsis model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?',
                        help='checkpoint file (none for a model without weights: BoxPrior)')
    parser.add_argument('--work-dir', help='the dir to save the evaluation metrics')
    parser.add_argument('--out', help='dump predictions to a pickle file')
    parser.add_argument(
        '--pseudo-label', action='store_true',
        help="run the config's pseudo-label stage instead of its test set: label the "
        'training split with this teacher and write work_dir/pseudo_labels (resumable)')
    parser.add_argument('--show', action='store_true', help='show prediction results')
    parser.add_argument('--show-dir', help='save painted images under work_dir/<time>/DIR')
    parser.add_argument('--wait-time', type=float, default=2, help='the interval of show (s)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, key=value')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main() -> None:
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = load_config(args.config, args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.checkpoint is not None and not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint {args.checkpoint!r} does not exist')
    cfg.load_from = args.checkpoint
    if args.pseudo_label:
        cfg.test_dataloader, cfg.test_evaluator = pseudo_label_loop_cfgs(cfg)
        cfg.test_cfg = cfg.get('test_cfg') or dict(type='TestLoop')
    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)
    prepare_cpu_ranks(cfg)
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    if args.checkpoint is None and next(runner.model.parameters(), None) is not None:
        raise SystemExit(f'{args.config}: its model has weights; name the checkpoint to '
                         'test (tools/test.py CONFIG CHECKPOINT)')
    if args.out is not None:
        if not args.out.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--out must end with .pkl, got {args.out!r}')
        runner.test_evaluator.metrics.append(DumpDetResults(out_file_path=args.out))
    runner.test()


if __name__ == '__main__':
    main()
