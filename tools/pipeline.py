"""Run one weakly-supervised method end to end and print one results table.

    python tools/pipeline.py configs/irn/irn_synthetic.py [--work-dir DIR] [--force]

Stages (each skipped when its output exists; ``--force`` redoes them all):
  A. teacher: every step of the config's ``wsis_pipeline.teacher_steps``, trained with
     ``tools/train.py``; a step's own pseudo-label output (e.g. IRNet's relation labels)
     is made by ``tools/test.py --pseudo-label`` and handed to the next step;
  B. pseudo labels: the last teacher labels the training split -> COCO json (resumable);
  C. refinement: stock Mask R-CNN trained on that json, evaluated on val GT;
  and the fully-supervised ceiling (same Mask R-CNN on GT masks), shared by all methods.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Optional

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import mmwsis  # noqa: E402,F401
from mmengine.config import Config  # noqa: E402

TOOLS = osp.dirname(osp.abspath(__file__))
THRESHOLDS = ('mAP25', 'mAP50', 'mAP70', 'mAP75')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='a method config with a `wsis_pipeline` section')
    parser.add_argument('--work-dir', help='default: work_dirs/<config name>_pipeline')
    parser.add_argument('--ceiling-work-dir',
                        help='default: work_dirs/<ceiling config name> (shared by methods)')
    parser.add_argument('--force', action='store_true', help='redo every stage')
    return parser.parse_args()


def run(command: List[str], log_path: str) -> float:
    """Run a tool in a subprocess, echoing and logging its output; return seconds."""
    print('$ ' + ' '.join(command), flush=True)
    start = time.time()
    with open(log_path, 'a') as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, cwd=REPO_ROOT)
        for line in process.stdout:
            sys.stdout.write(line)
            log.write(line)
        if process.wait() != 0:
            raise SystemExit(f'stage failed (exit {process.returncode}): see {log_path}')
    return time.time() - start


def cfg_options(options: Dict[str, str]) -> List[str]:
    return ['--cfg-options', *[f'{k}={v}' for k, v in options.items()]] if options else []


def final_checkpoint(config: str, work_dir: str) -> str:
    cfg = Config.fromfile(config)
    return osp.join(work_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth')


def hook_off_options(config: str) -> Dict[str, str]:
    """Disable the PseudoLabelHook: the pipeline runs (and times) that stage itself."""
    hooks = Config.fromfile(config).get('custom_hooks', [])
    return {f'custom_hooks.{i}.enabled': 'False' for i, hook in enumerate(hooks)
            if hook['type'] == 'PseudoLabelHook'}


def last_scalars(work_dir: str) -> Dict[str, float]:
    """The last logged value of every scalar of the newest run in ``work_dir``."""
    runs = sorted(d for d in os.listdir(work_dir)
                  if osp.isfile(osp.join(work_dir, d, 'vis_data', 'scalars.json')))
    if not runs:
        return {}
    values = {}
    with open(osp.join(work_dir, runs[-1], 'vis_data', 'scalars.json')) as f:
        for line in f:
            values.update(json.loads(line))
    return values


class Pipeline:

    def __init__(self, config: str, work_dir: str, ceiling_dir: Optional[str],
                 force: bool) -> None:
        self.config = osp.abspath(config)
        self.cfg = Config.fromfile(self.config)
        if 'wsis_pipeline' not in self.cfg:
            raise SystemExit(f'{config} has no `wsis_pipeline` section; pass a method config '
                             'such as configs/irn/irn_synthetic.py')
        self.spec = self.cfg.wsis_pipeline
        name = osp.splitext(osp.basename(config))[0]
        self.work_dir = osp.abspath(work_dir or osp.join('work_dirs', f'{name}_pipeline'))
        self.ceiling = self.relative(self.spec.ceiling_config)
        self.ceiling_dir = osp.abspath(ceiling_dir or osp.join(
            'work_dirs', osp.splitext(osp.basename(self.ceiling))[0]))
        self.force = force
        os.makedirs(self.work_dir, exist_ok=True)
        self.log = osp.join(self.work_dir, 'pipeline.log')
        self.times_path = osp.join(self.work_dir, 'stage_times.json')
        self.times = {}
        if osp.isfile(self.times_path):
            with open(self.times_path) as f:
                self.times = json.load(f)

    def relative(self, path: str) -> str:
        return osp.normpath(osp.join(osp.dirname(self.config), path))

    def stage(self, name: str, done: bool, commands: List[List[str]]) -> None:
        if done and not self.force:
            print(f'== {name}: done already, skipped (--force to redo)', flush=True)
            self.times.setdefault(name, dict(seconds=None))['skipped'] = True
            return
        print(f'== {name}', flush=True)
        seconds = sum(run(command, self.log) for command in commands)
        self.times[name] = dict(seconds=seconds, skipped=False)
        with open(self.times_path, 'w') as f:
            json.dump(self.times, f, indent=1)

    def train(self, config: str, work_dir: str, options: Dict[str, str]) -> List[str]:
        return [sys.executable, osp.join(TOOLS, 'train.py'), config, '--work-dir', work_dir,
                *cfg_options(options)]

    def pseudo_label(self, config: str, work_dir: str, options: Dict[str, str]) -> List[str]:
        return [sys.executable, osp.join(TOOLS, 'test.py'), config,
                final_checkpoint(config, work_dir), '--work-dir', work_dir, '--pseudo-label',
                *cfg_options(options)]

    def run(self) -> None:
        start = time.time()
        produced: Dict[str, str] = {}
        steps = self.spec.teacher_steps
        pseudo_json = None
        for index, step in enumerate(steps):
            config = self.relative(step.config)
            step_dir = osp.join(self.work_dir, step.name)
            options = {key: produced[name] for name, key in step.get('inputs', {}).items()}
            self.stage(f'A. teacher: {step.name}',
                       osp.isfile(final_checkpoint(config, step_dir)),
                       [self.train(config, step_dir, {**options, **hook_off_options(config)})])
            step_cfg = Config.fromfile(config)
            section = step_cfg.pseudo_label
            out_dir = osp.join(step_dir, 'pseudo_labels')
            summary = osp.join(out_dir, f'{section.get("name", "train")}_summary.json')
            last = index == len(steps) - 1
            commands = [self.pseudo_label(config, step_dir, options)]
            if last:
                pseudo_json = osp.join(out_dir, f'{section.get("name", "train")}.json')
                self.pseudo_summary = summary
                commands.append([sys.executable, osp.join(TOOLS, 'visualize_pseudo.py'), config,
                                 pseudo_json, '--out', osp.join(self.work_dir, 'pseudo_vis'),
                                 *cfg_options(options)])
            self.stage('B. pseudo labels' if last else f'A. teacher: {step.name} labels',
                       osp.isfile(summary), commands)
            for name, path in step.get('outputs', {}).items():
                produced[name] = osp.join(step_dir, path)
        refine = self.relative(self.spec.refine_config)
        refine_dir = osp.join(self.work_dir, 'refine')
        self.stage('C. refine + evaluate', osp.isfile(final_checkpoint(refine, refine_dir)),
                   [self.train(refine, refine_dir, {'pseudo_ann_file': pseudo_json,
                                                    'train_dataloader.dataset.ann_file':
                                                    pseudo_json})])
        self.stage('ceiling: fully supervised', osp.isfile(
            final_checkpoint(self.ceiling, self.ceiling_dir)),
                   [self.train(self.ceiling, self.ceiling_dir, {})])
        self.report(refine_dir, time.time() - start)

    def report(self, refine_dir: str, total: float) -> None:
        with open(self.pseudo_summary) as f:
            pseudo = json.load(f)['metrics']
        final = last_scalars(refine_dir)
        ceiling = last_scalars(self.ceiling_dir)
        teacher_metrics = {}
        for step in self.spec.teacher_steps:
            teacher_metrics.update({k: v for k, v in last_scalars(
                osp.join(self.work_dir, step.name)).items() if k.startswith('cam/')})
        row = lambda name, values: f'| {name:<34} |' + ''.join(  # noqa: E731
            f' {values.get(t, float("nan")):>6.1f} |' for t in THRESHOLDS)
        lines = [f'\nResults of {osp.relpath(self.config, REPO_ROOT)} '
                 '(instance mAP^r, VOC protocol, %)',
                 f'| {"":<34} |' + ''.join(f' {t:>6} |' for t in THRESHOLDS),
                 '|' + '-' * 36 + '|' + '--------|' * len(THRESHOLDS),
                 row('pseudo labels (train)', pseudo),
                 row('Mask R-CNN on pseudo labels (val)', {t: final.get(f'ins/{t}', float(
                     'nan')) for t in THRESHOLDS}),
                 row('fully-supervised ceiling (val)', {t: ceiling.get(f'ins/{t}', float(
                     'nan')) for t in THRESHOLDS}),
                 row('ratio to ceiling (x100)', {t: 100 * final.get(f'ins/{t}', float('nan'))
                                                  / ceiling[f'ins/{t}']
                                                  for t in THRESHOLDS if ceiling.get(
                                                      f'ins/{t}')})]
        if 'cam/mIoU' in teacher_metrics:
            lines.append(f'\nCAM mIoU on train (bg 0.15): {teacher_metrics["cam/mIoU"]:.1f}')
        lines.append('\n| stage | seconds |\n|---|---|')
        for name, info in self.times.items():
            seconds = info.get('seconds')
            took = '?' if seconds is None else f'{seconds:.0f}'
            when = ' (an earlier run)' if info.get('skipped') else ''
            lines.append(f'| {name} | {took}{when} |')
        lines.append(f'| total (this run) | {total:.0f} |')
        text = '\n'.join(lines)
        print(text)
        with open(osp.join(self.work_dir, 'results.md'), 'w') as f:
            f.write(text + '\n')


def main() -> None:
    args = parse_args()
    Pipeline(args.config, args.work_dir, args.ceiling_work_dir, args.force).run()


if __name__ == '__main__':
    main()
