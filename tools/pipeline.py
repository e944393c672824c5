"""Run one weakly-supervised method end to end and print one results table.

    python tools/pipeline.py CONFIG [--work-dir DIR] [--cfg-options KEY=VALUE ...] [--force]
                                    [--ceiling-only]

CONFIG is a method config with a ``wsis_pipeline`` section (``configs/irn/irn_synthetic.py``)
or a file that inherits one and names other data (``data_root``, ``classes``: the README's
"Your own data"). Its data settings go to every stage. Stages:

  A. teacher: each of ``wsis_pipeline.teacher_steps`` trained with ``tools/train.py``; a
     step without ``config`` is CONFIG itself; a step's ``inputs`` map config keys to
     ``<earlier step>.checkpoint`` (its last checkpoint, from mmengine's
     ``last_checkpoint``) or ``<earlier step>.pseudo_labels`` (its pseudo-label output);
     a step's ``options`` (dotted keys, as ``--cfg-options``; ``_delete_`` works) change
     its config for this method only (BESTIE's IRNet step writes semantic maps); a
     ``train=False`` step has no weights to train (the box baselines' ``BoxPrior``) and
     goes straight to its pseudo labels; a ``shared=True`` step runs in
     ``work_dirs/shared/<step>-<key>``, named by its config and inputs, so that another
     pipeline with the same step skips it (or waits for it);
  B. pseudo labels: each step's ``pseudo_label`` run, ``tools/test.py --pseudo-label``
     (resumable), the last one's COCO json with pictures in ``<work-dir>/pseudo_vis``;
  C. refinement: ``wsis_pipeline.refine_config`` trained on that json, evaluated on val;
  and the fully-supervised ``ceiling_config`` on GT masks, shared by every method run on
  the same data (``work_dirs/ceilings/<name>-<key>``; two pipelines run at once take turns
  on it: the second waits, then skips it; ``--ceiling-only`` trains just that one, to run
  it beside the method's stages on other cores).

Each stage's config is written, resolved, to its folder (``pipeline_config.py``) with a
record of its key (that config and the keys of the stages it reads from). A rerun skips a
stage with the same key, resumes one that did not finish, and redoes one whose config or
input stage changed, saying why. ``--cfg-options`` go to every stage that has the key.
The table is ``<work-dir>/results.md``, with what each earlier step's labels scored on
train (``step_labels``: IRNet's relation labels, BESTIE's WSSS maps and PAM points);
``results.json`` holds the numbers.
"""
import argparse
import copy
import glob
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import mmwsis  # noqa: E402,F401
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.runner import find_latest_checkpoint  # noqa: E402

from mmwsis.engine.pipeline import (StageRecord, config_key, config_path,  # noqa: E402
                                    evaluator_keys, last_scalars,
                                    machine_description, metric_table,
                                    prepare_stage_config, referenced_splits,
                                    source_commit)
from mmwsis.engine.pseudo_label import pseudo_label_out_dir  # noqa: E402
from mmwsis.pseudo import write_json_atomic  # noqa: E402
from mmwsis.utils import data_settings_of  # noqa: E402

TOOLS = osp.dirname(osp.abspath(__file__))
PSEUDO_COLUMNS = ('mAP25', 'mAP50', 'mAP70', 'mAP75')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='a method config with a `wsis_pipeline` section')
    parser.add_argument('--work-dir', help='default: work_dirs/<config name>_pipeline')
    parser.add_argument('--ceiling-work-dir',
                        help='default: work_dirs/ceilings/<ceiling config name>-<key>')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='KEY=VALUE overrides, applied to every stage that has KEY')
    parser.add_argument('--ceiling-only', action='store_true',
                        help='train only the fully-supervised ceiling (beside a running '
                        'pipeline on the same data, on other cores: that one then skips it)')
    parser.add_argument('--force', action='store_true', help='redo every stage')
    return parser.parse_args()


def keyed_text(cfg: Config, dropped: Sequence[str]) -> str:
    """The text a stage key hashes: ``cfg`` without the top-level ``dropped`` keys."""
    return Config({k: v for k, v in cfg.to_dict().items() if k not in dropped}).pretty_text


def run(command: List[str], log_path: str) -> None:
    """Run a tool in a subprocess, echoing and logging its output."""
    print('$ ' + ' '.join(command), flush=True)
    with open(log_path, 'a') as log:
        log.write('$ ' + ' '.join(command) + '\n')
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        for line in process.stdout:
            sys.stdout.write(line)
            log.write(line)
        if process.wait() != 0:
            raise SystemExit(f'stage failed (exit {process.returncode}): see {log_path}')


class Stage:
    """One step of the run: a resolved config in a folder, and its record."""

    # What a training run does not read: a change there does not retrain. No stage reads
    # `wsis_pipeline` (a new refinement config does not redo the pseudo labels).
    NOT_TRAINING = ('pseudo_label', )

    def __init__(self, name: str, kind: str, cfg: Config, work_dir: str,
                 inputs: Dict[str, str]) -> None:
        self.name, self.kind, self.cfg, self.work_dir = name, kind, cfg, work_dir
        os.makedirs(work_dir, exist_ok=True)
        self.config_file = osp.join(work_dir, 'pipeline_config.py')
        # The key does not depend on where the stage runs.
        text = keyed_text(cfg, ('work_dir', 'wsis_pipeline') +
                          (self.NOT_TRAINING if kind == 'train' else ()))
        sha = config_key(text, {})
        self.key = config_key(text, inputs)
        self.record = StageRecord(osp.join(work_dir, f'stage_{kind}.json'), self.key, sha,
                                  inputs)
        cfg.work_dir = work_dir

    def write_config(self) -> None:
        self.cfg.dump(self.config_file)


class Pipeline:

    def __init__(self, args: argparse.Namespace) -> None:
        self.config = osp.abspath(args.config)
        self.cfg = Config.fromfile(self.config)
        self.options = dict(args.cfg_options)
        self.cfg.merge_from_dict({k: v for k, v in self.options.items()
                                  if k.split('.')[0] in data_settings_of(self.cfg)})
        if 'wsis_pipeline' not in self.cfg:
            raise SystemExit(f'{args.config} has no `wsis_pipeline` section; pass a method '
                             'config such as configs/irn/irn_synthetic.py, or a file that '
                             'inherits one')
        self.spec = self.cfg.wsis_pipeline
        self.data = data_settings_of(self.cfg)
        name = osp.splitext(osp.basename(self.config))[0]
        self.work_dir = osp.abspath(args.work_dir or osp.join('work_dirs', f'{name}_pipeline'))
        self.ceiling_dir = args.ceiling_work_dir
        self.ceiling_only = args.ceiling_only
        self.force = args.force
        os.makedirs(self.work_dir, exist_ok=True)
        self.log = osp.join(self.work_dir, 'pipeline.log')
        self.products: Dict[str, Dict[str, str]] = {}
        self.keys: Dict[str, str] = {}
        self.times: Dict[str, dict] = {}
        self.teacher_dirs: List[str] = []
        self.label_summaries: Dict[str, str] = {}  # step -> its pseudo-label summary

    def stage_config(self, path: Optional[str], inputs: Optional[Dict[str, str]] = None,
                     step_options: Optional[dict] = None, only_used_splits: bool = False
                     ) -> Config:
        """A stage's config from its file (or CONFIG itself), made for this run; a step's
        own ``options`` go first, then the run's ``--cfg-options``. ``only_used_splits``
        keeps only the data splits the config reads (the ceiling's key then does not
        depend on a method's extra splits, such as BoxCaseg's salient images)."""
        cfg = self.cfg if path is None else Config.fromfile(
            config_path(path, osp.dirname(self.config)))
        if step_options:
            cfg = copy.deepcopy(cfg)
            cfg.merge_from_dict(copy.deepcopy(dict(step_options)))
        data = self.data
        if only_used_splits and 'data_splits' in data:
            used = referenced_splits(cfg.to_dict())
            data = dict(data, data_splits={name: split for name, split
                                           in data['data_splits'].items() if name in used})
        cfg, applied = prepare_stage_config(cfg, data, self.options, inputs)
        skipped = sorted(set(self.options) - set(applied))
        if skipped:
            print(f'   (not in {osp.basename(cfg.filename or self.config)}: {skipped})')
        return cfg

    def execute(self, stage: Stage, label: str, commands: List[List[str]],
                clean: List[str], outputs: Callable[[], dict]) -> None:
        """Skip, resume or (re)do one stage; ``clean`` is what a redo deletes first.

        The stage's folder is held (:meth:`StageRecord.held`) throughout, so that a second
        pipeline sharing it (the ceiling) waits and then skips it."""
        def waiting() -> None:
            print(f'== {label}: waiting for another process running it in {stage.work_dir}',
                  flush=True)

        with stage.record.held(on_wait=waiting):
            self._execute(stage, label, commands, clean, outputs)

    def _execute(self, stage: Stage, label: str, commands: List[List[str]],
                 clean: List[str], outputs: Callable[[], dict]) -> None:
        action, why = stage.record.decide()
        if self.force and action == 'skip':
            action, why = 'redo', '--force'
        if action == 'skip':
            print(f'== {label}: skipped, {why}', flush=True)
            self.times[label] = dict(seconds=(stage.record.read() or {}).get('seconds'),
                                     skipped=True)
            return
        print(f'== {label}: {"resuming" if action == "resume" else "running"} ({why})',
              flush=True)
        if action == 'redo':
            for pattern in clean:
                for path in glob.glob(pattern):
                    shutil.rmtree(path) if osp.isdir(path) else os.remove(path)
        if action == 'resume' and stage.kind == 'train' and find_latest_checkpoint(
                stage.work_dir):
            commands = [commands[0] + ['--resume'], *commands[1:]]
        stage.write_config()
        stage.record.start()
        start = time.time()
        for command in commands:
            run(command, self.log)
        seconds = time.time() - start
        stage.record.finish(seconds, **outputs())
        self.times[label] = dict(seconds=seconds, skipped=False)

    def train(self, stage: Stage, label: str) -> str:
        """Stage A, C or the ceiling: ``tools/train.py``; returns the last checkpoint."""
        self.execute(stage, label,
                     [[sys.executable, osp.join(TOOLS, 'train.py'), stage.config_file,
                       '--work-dir', stage.work_dir]],
                     clean=[osp.join(stage.work_dir, '*.pth'),
                            osp.join(stage.work_dir, 'last_checkpoint')],
                     outputs=lambda: dict(checkpoint=find_latest_checkpoint(stage.work_dir)))
        checkpoint = find_latest_checkpoint(stage.work_dir)
        if not checkpoint or not osp.isfile(checkpoint):
            raise SystemExit(f'{label}: no checkpoint in {stage.work_dir}')
        return checkpoint

    def label(self, stage: Stage, checkpoint: Optional[str], label: str,
              pictures: bool) -> str:
        """Stage B: ``tools/test.py --pseudo-label`` with the teacher's last checkpoint
        (none for a ``train=False`` step; and, for the last teacher, pictures); returns
        the pseudo-label output."""
        out_dir = pseudo_label_out_dir(stage.cfg)
        name = stage.cfg.pseudo_label.get('name', 'train')
        summary = osp.join(out_dir, f'{name}_summary.json')
        labels = Stage(stage.name, 'labels', copy.deepcopy(stage.cfg), stage.work_dir,
                       {stage.name: stage.key})
        self.keys[f'{stage.name}.labels'] = labels.key
        commands = [[sys.executable, osp.join(TOOLS, 'test.py'), stage.config_file,
                     *([checkpoint] if checkpoint else []), '--work-dir', stage.work_dir,
                     '--pseudo-label']]
        if pictures:
            commands.append([sys.executable, osp.join(TOOLS, 'visualize_pseudo.py'),
                             stage.config_file, osp.join(out_dir, f'{name}.json'), '--out',
                             osp.join(self.work_dir, 'pseudo_vis')])

        def outputs() -> dict:
            with open(summary) as f:
                return dict(pseudo_labels=json.load(f)['output'])

        self.execute(labels, label, commands,
                     clean=[osp.join(out_dir, 'cache', name), osp.join(out_dir, f'{name}*')],
                     outputs=outputs)
        self.label_summaries[stage.name] = summary
        return outputs()['pseudo_labels']

    def step_dir(self, step: dict, cfg: Config, input_keys: Dict[str, str]) -> str:
        """A teacher step's folder: ``<work-dir>/<step>``, or, for a ``shared`` step,
        ``work_dirs/shared/<step>-<key>``, named by its whole config (pseudo labelling
        included) and its inputs' keys, so that pipelines running the same step on the
        same data share one run of it (BESTIE's and BESTIE-P's IRNet steps), linked from
        ``<work-dir>/<step>`` (unless a folder of an earlier run is there)."""
        local = osp.join(self.work_dir, step.name)
        if not step.get('shared'):
            return local
        key = config_key(keyed_text(cfg, ('work_dir', 'wsis_pipeline')), input_keys)
        shared = osp.abspath(osp.join('work_dirs', 'shared', f'{step.name}-{key[:8]}'))
        os.makedirs(shared, exist_ok=True)
        if osp.islink(local) and os.readlink(local) != shared:
            os.remove(local)
        if not osp.lexists(local):  # where the step's folder is looked for
            os.symlink(shared, local)
        return shared

    def ceiling(self) -> Stage:
        """The fully-supervised ceiling: ``ceiling_config`` on this data, in a folder
        named by its key, so that every pipeline on the same data shares it."""
        cfg = self.stage_config(self.spec.ceiling_config, only_used_splits=True)
        name = osp.splitext(osp.basename(self.spec.ceiling_config))[0]
        key = config_key(cfg.pretty_text, {})
        work_dir = osp.abspath(self.ceiling_dir or osp.join(
            'work_dirs', 'ceilings', f'{name}-{key[:8]}'))
        return Stage('ceiling', 'train', cfg, work_dir, {})

    def run(self) -> None:
        if self.ceiling_only:
            ceiling = self.ceiling()
            self.train(ceiling, 'ceiling: fully supervised')
            print(f'ceiling trained in {ceiling.work_dir}')
            return
        start = time.time()
        steps = self.spec.teacher_steps
        for index, step in enumerate(steps):
            last = index == len(steps) - 1
            inputs, input_keys = {}, {}
            for path, product in step.get('inputs', {}).items():
                source, what = product.split('.')
                if source not in self.products or what not in self.products[source]:
                    raise SystemExit(f'step {step.name}: input {product} is not made by an '
                                     f'earlier step ({sorted(self.products)})')
                inputs[path] = self.products[source][what]
                input_keys[product] = self.keys[f'{source}.labels']
            cfg = self.stage_config(step.get('config'), inputs, step.get('options'))
            for i, hook in enumerate(cfg.get('custom_hooks', [])):
                if hook['type'] == 'PseudoLabelHook':  # the pipeline runs stage B itself
                    cfg.custom_hooks[i]['enabled'] = False
            stage = Stage(step.name, 'train', cfg, self.step_dir(step, cfg, input_keys),
                          input_keys)
            checkpoint = (self.train(stage, f'A. teacher: {step.name}')
                          if step.get('train', True) else None)
            output = self.label(stage, checkpoint,
                                'B. pseudo labels' if last else f'A. {step.name} labels',
                                pictures=last)
            self.products[step.name] = dict(checkpoint=checkpoint, pseudo_labels=output)
            self.teacher_dirs.append(stage.work_dir)
        pseudo_json = output
        self.pseudo_summary = self.label_summaries[steps[-1].name]
        with open(self.pseudo_summary) as f:
            summary = json.load(f)
        if not summary['instances']:
            raise SystemExit(f'the teacher found no instance in {summary["images"]} images '
                             f'({self.pseudo_summary}): there is nothing to refine on. Look '
                             'at its training log; it may need more epochs or data.')

        refine_cfg = self.stage_config(self.spec.refine_config,
                                       {'train_dataloader.dataset.labels': pseudo_json})
        refine = Stage('refine', 'train', refine_cfg, osp.join(self.work_dir, 'refine'),
                       {'pseudo_labels': self.keys[f'{steps[-1].name}.labels']})
        self.train(refine, 'C. refine + evaluate')

        ceiling = self.ceiling()
        self.train(ceiling, 'ceiling: fully supervised')
        self.report(refine, ceiling, time.time() - start)

    def report(self, refine: Stage, ceiling: Stage, total: float) -> None:
        with open(self.pseudo_summary) as f:
            summary = json.load(f)
        pseudo, pseudo_miou = summary['metrics'], summary.get('instance_mIoU')
        keys = evaluator_keys(refine.cfg.val_evaluator)
        columns = [column for column, _, _ in keys]

        def values(work_dir: str) -> Dict[str, Optional[float]]:
            scalars = last_scalars(work_dir, keys[0][1].split('/')[0] + '/')
            return {column: (scalars[key] * scale if key in scalars else None)
                    for column, key, scale in keys}

        refined, ceiling_values = values(refine.work_dir), values(ceiling.work_dir)
        ratio = {c: 100 * refined[c] / ceiling_values[c] for c in columns
                 if refined[c] is not None and ceiling_values[c]}
        # a teacher that is an instance segmenter itself (mmdet's BoxInst) and validated
        itself = values(self.teacher_dirs[-1])
        itself = itself if any(v is not None for v in itself.values()) else None
        teacher = {}  # the first step's CAM metrics (BESTIE's PAM step has its own too)
        for work_dir in self.teacher_dirs:
            teacher.update({k: v for k, v in last_scalars(work_dir, 'cam/').items()
                            if k.startswith('cam/') and k not in teacher})
        # what the earlier steps' labels scored on train (IRNet's WSSS mIoU, PAM's points)
        step_labels = {}
        for name, path in list(self.label_summaries.items())[:-1]:
            with open(path) as f:
                step_labels[name] = json.load(f).get('metrics', {})
        rows = [(f'the {self.spec.teacher_steps[-1].name} teacher itself (val)', itself)
                ] if itself else []
        rows += [('Mask R-CNN on pseudo labels (val)', refined),
                ('fully-supervised ceiling (val)', ceiling_values),
                ('ratio to ceiling (x100)', ratio)]
        relative = osp.relpath(self.config)
        if columns == list(PSEUDO_COLUMNS):
            tables = [metric_table(columns, [('pseudo labels (train)', pseudo)] + rows)]
        else:
            pseudo_row = ('pseudo labels (train, mAP^r VOC)', pseudo)
            tables = [metric_table(PSEUDO_COLUMNS, [pseudo_row]), metric_table(columns, rows)]
        lines = [f'\nResults of {relative} on {self.data.get("data_root")} (%; pseudo labels '
                 'scored as instance mAP^r, VOC protocol)', *tables]
        if pseudo_miou is not None:
            lines.append(f"\nGT instances' mIoU with their best pseudo mask (train): "
                         f'{pseudo_miou:.1f}')
        if 'cam/mIoU' in teacher:
            lines.append(f'\nCAM mIoU on train (bg 0.15): {teacher["cam/mIoU"]:.1f}')
        for name, metrics in step_labels.items():
            if metrics:
                lines.append(f'\n{name} labels on train: ' + ', '.join(
                    f'{key} {value:.1f}' for key, value in metrics.items()))
        lines.append('\n| stage | seconds |\n|---|---|')
        for name, info in self.times.items():
            seconds = info.get('seconds')
            took = '?' if seconds is None else f'{seconds:.0f}'
            lines.append(f'| {name} | {took}{" (an earlier run)" if info["skipped"] else ""} |')
        lines.append(f'| total (this run) | {total:.0f} |')
        text = '\n'.join(lines)
        print(text)
        with open(osp.join(self.work_dir, 'results.md'), 'w') as f:
            f.write(text + '\n')
        write_json_atomic(dict(
            config=relative, supervision=self.cfg.get('supervision', 'image'),
            data_root=self.data.get('data_root'), classes=list(self.data.get('classes', ())),
            columns=columns, pseudo=pseudo, pseudo_instance_mIoU=pseudo_miou,
            refined=refined, ceiling=ceiling_values, ratio=ratio, teacher=teacher,
            teacher_val=itself,
            step_labels=step_labels,
            stages={k: v['seconds'] for k, v in self.times.items()},
            command=' '.join(['python', 'tools/pipeline.py'] + sys.argv[1:]),
            machine=machine_description(), date=time.strftime('%Y-%m-%d'),
            commit=source_commit()),
            osp.join(self.work_dir, 'results.json'))


def main() -> None:
    Pipeline(parse_args()).run()


if __name__ == '__main__':
    main()
