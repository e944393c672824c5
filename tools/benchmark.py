"""Every method on the built-in synthetic data, side by side: one json, table and chart.

    python tools/benchmark.py [--supervision image point box ...] [--preset shapes photo]
                              [--from-results] [--out-dir work_dirs/benchmark]

The methods are the pipeline configs of the built-in presets: every
``configs/<method>/*_synthetic.py`` (shapes) and ``*_synthetic_photo.py`` (photographic
scenes) with a ``wsis_pipeline`` section, filtered by ``--supervision`` (what each
config's training pipeline sees). Each runs as the README says,
``tools/pipeline.py CONFIG --work-dir work_dirs/<config name>_pipeline`` (its log in
that folder), one after another: a stage already done is skipped, an interrupted one
resumes, and every run on the same data shares its fully-supervised ceiling. With
``--from-results`` nothing runs: the committed result file of each config
(``configs/<method>/results/<config name>.json``) is read instead, and a config without
one is left out, named.

Written to ``--out-dir``: ``benchmark.json`` (one row per run, and one more for a teacher
that segments val itself, BoxInst), ``benchmark.md`` (per preset: supervision, method,
pseudo-label mAP25/50/70/75 on train, GT instances' mIoU, Mask R-CNN mAP25/50/70/75 on
val, the ratio to the ceiling at mAP50 and mAP75, the paper's VOC ratio, seconds per
stage) and ``benchmark.png`` (the ratios at mAP50 and mAP75 per method and preset).
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Optional

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isdir(osp.join(REPO, 'mmwsis')) and REPO not in sys.path:
    sys.path.insert(0, REPO)

from mmengine.config import Config  # noqa: E402

from mmwsis.analysis.result_files import (SUPERVISION_NAMES, collection_of,  # noqa: E402
                                          collections, fmt)
from mmwsis.engine.pipeline import machine_description, source_commit  # noqa: E402
from mmwsis.pseudo import write_json_atomic  # noqa: E402

PRESETS = {'shapes': '_synthetic.py', 'photo': '_synthetic_photo.py'}
COLUMNS = ('mAP25', 'mAP50', 'mAP70', 'mAP75')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--supervision', nargs='+', choices=sorted(SUPERVISION_NAMES),
                        help='only the methods trained at these levels (default: all)')
    parser.add_argument('--preset', nargs='+', choices=list(PRESETS),
                        default=list(PRESETS), help='the built-in data (default: both)')
    parser.add_argument('--from-results', action='store_true',
                        help='run nothing: read each config\'s committed result file')
    parser.add_argument('--out-dir', default=osp.join('work_dirs', 'benchmark'))
    parser.add_argument('--root', default=REPO, help=argparse.SUPPRESS)  # tests
    return parser.parse_args()


def method_configs(root: str, presets: List[str],
                   supervision: Optional[List[str]]) -> List[Dict[str, str]]:
    """The pipeline configs of the presets: ``config`` (relative to ``root``), ``method``
    (its folder), ``preset`` and ``supervision``; by preset, supervision, then path."""
    found = []
    for preset in presets:
        suffix = PRESETS[preset]
        for path in sorted(glob.glob(osp.join(root, 'configs', '*', '*' + suffix))):
            cfg = Config.fromfile(path)
            if 'wsis_pipeline' not in cfg:
                continue  # a step of another method's pipeline (cam_synthetic.py)
            level = cfg.get('supervision', 'image')
            if supervision and level not in supervision:
                continue
            found.append(dict(config=osp.relpath(path, root),
                              method=osp.basename(osp.dirname(path)), preset=preset,
                              supervision=level))
    order = list(SUPERVISION_NAMES)
    return sorted(found, key=lambda e: (presets.index(e['preset']),
                                        order.index(e['supervision']), e['config']))


def work_dir_of(config: str) -> str:
    return osp.join('work_dirs', osp.splitext(osp.basename(config))[0] + '_pipeline')


def run_pipeline(root: str, config: str) -> dict:
    """``tools/pipeline.py`` on one config (stages already done are skipped); its
    ``results.json``."""
    work_dir = work_dir_of(config)
    os.makedirs(work_dir, exist_ok=True)
    log = osp.join(work_dir, 'benchmark.log')
    command = [sys.executable, osp.join(root, 'tools', 'pipeline.py'),
               osp.join(root, config), '--work-dir', work_dir]
    print('$ ' + ' '.join(command) + f'  (log: {log})', flush=True)
    with open(log, 'a') as f:
        if subprocess.run(command, stdout=f, stderr=subprocess.STDOUT).returncode:
            sys.exit(f'{config}: the pipeline failed; see {log} (rerun to resume)')
    with open(osp.join(work_dir, 'results.json')) as f:
        return json.load(f)


def committed_result(root: str, method: str, config: str) -> Optional[dict]:
    path = osp.join(root, 'configs', method, 'results',
                    osp.splitext(osp.basename(config))[0] + '.json')
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def rows_of(root: str, entry: Dict[str, str], result: dict) -> List[dict]:
    """The run's row, and the teacher's own if it segments val itself (BoxInst)."""
    meta = collection_of(collections(root, entry['method']), result)
    row = dict(entry, name=meta['Name'], pseudo=result['pseudo'],
               gt_instance_mIoU=result.get('pseudo_instance_mIoU'),
               refined=result['refined'], ceiling=result['ceiling'],
               ratio={c: v / 100 for c, v in result['ratio'].items()},
               paper_voc_ratio=meta['Metadata'].get('Paper VOC ratio at mAP50'),
               stages=result['stages'], command=result['command'],
               machine=result['machine'], commit=result.get('commit'))
    rows = [row]
    own = result.get('teacher_val')
    if own:
        ceiling = result['ceiling']
        rows.append(dict(row, name=f'{meta["Name"]}, itself', pseudo={},
                         gt_instance_mIoU=None, refined=own,
                         ratio={c: own[c] / ceiling[c] for c in COLUMNS
                                if own.get(c) is not None and ceiling.get(c)},
                         stages={}))
    return rows


def stage_seconds(stages: Dict[str, Optional[float]]) -> str:
    """``A 1220 / B 131 / C 1379 / ceiling 691``: a pipeline's stages summed by letter
    (every teacher step is A)."""
    totals: Dict[str, float] = {}
    for name, seconds in stages.items():
        if seconds is not None:
            letter, dot, _ = name.partition('.')
            group = letter if dot and len(letter) == 1 else name.split(':')[0]
            totals[group] = totals.get(group, 0.0) + seconds
    return ' / '.join(f'{k} {v:.0f}' for k, v in totals.items()) or '-'


def markdown(rows: List[dict]) -> str:
    """Per preset, one row per method (a teacher's own val row under its method's)."""
    blocks = []
    for preset in PRESETS:
        chosen = [r for r in rows if r['preset'] == preset]
        if not chosen:
            continue
        lines = [f'**{preset}**', '',
                 '| supervision | method | pseudo mAP25 / 50 / 70 / 75 (train) | GT mIoU '
                 '| Mask R-CNN mAP25 / 50 / 70 / 75 (val) | its ceiling mAP50 / 75 '
                 "| ratio at mAP50 (mAP75) | the paper's VOC ratio | seconds per stage |",
                 '|---|---|---|---|---|---|---|---|---|']
        for r in chosen:
            ratios = [f'{r["ratio"][c]:.2f}' if c in r['ratio'] else '-'
                      for c in ('mAP50', 'mAP75')]
            paper = '-' if r['paper_voc_ratio'] is None else f'{r["paper_voc_ratio"]:.2f}'
            lines.append(
                f'| {SUPERVISION_NAMES[r["supervision"]]} | {r["name"]} | '
                + ' / '.join(fmt(r['pseudo'].get(c)) for c in COLUMNS)
                + f' | {fmt(r["gt_instance_mIoU"])} | '
                + ' / '.join(fmt(r['refined'].get(c)) for c in COLUMNS)
                + f' | {fmt(r["ceiling"].get("mAP50"))} / {fmt(r["ceiling"].get("mAP75"))}'
                + f' | {ratios[0]} ({ratios[1]}) | {paper} | {stage_seconds(r["stages"])} |')
        blocks.append('\n'.join(lines))
    blocks.append('Each ratio is to the ceiling of the same run (the same Mask R-CNN on the '
                  "GT masks). A teacher's `, itself` row is its own predictions on val; its "
                  'other row, Mask R-CNN trained on its predictions on train.')
    return '\n\n'.join(blocks) + '\n'


def bar_chart(rows: List[dict], path: str) -> None:
    """The ratios to the ceiling at mAP50 and mAP75, one panel per preset."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    presets = [p for p in PRESETS if any(r['preset'] == p for r in rows)]
    fig, axes = plt.subplots(1, len(presets), figsize=(6 * len(presets), 4.5), squeeze=False)
    for ax, preset in zip(axes[0], presets):
        chosen = [r for r in rows if r['preset'] == preset]
        xs = range(len(chosen))
        for offset, column in ((-0.2, 'mAP50'), (0.2, 'mAP75')):
            ax.bar([x + offset for x in xs], [r['ratio'].get(column, 0) for r in chosen],
                   width=0.4, label=f'ratio at {column}')
        ax.set_xticks(list(xs), [r['name'] for r in chosen], rotation=45, ha='right')
        ax.axhline(1.0, color='grey', linewidth=0.8)
        ax.set_ylim(0, 1.1)
        ax.set_title(preset)
        ax.legend(loc='upper left')
    axes[0][0].set_ylabel('Mask R-CNN on pseudo labels / on GT masks (val)')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    entries = method_configs(args.root, args.preset, args.supervision)
    if not entries:
        sys.exit('no pipeline config matches; see --supervision and --preset')
    start = time.time()
    rows, missing = [], []
    for i, entry in enumerate(entries, 1):
        print(f'[{i}/{len(entries)}] {entry["config"]}', flush=True)
        if args.from_results:
            result = committed_result(args.root, entry['method'], entry['config'])
            if result is None:
                missing.append(entry['config'])
                continue
        else:
            result = run_pipeline(args.root, entry['config'])
        rows.extend(rows_of(args.root, entry, result))
    if not rows:
        sys.exit('no results: ' + ', '.join(missing))
    os.makedirs(args.out_dir, exist_ok=True)
    table = markdown(rows)
    write_json_atomic(dict(
        rows=rows, columns=list(COLUMNS), missing=missing,
        command=' '.join(['python', 'tools/benchmark.py'] + sys.argv[1:]),
        machine=machine_description(), date=time.strftime('%Y-%m-%d'),
        commit=source_commit(), seconds=time.time() - start),
        osp.join(args.out_dir, 'benchmark.json'))
    with open(osp.join(args.out_dir, 'benchmark.md'), 'w') as f:
        f.write(table)
    bar_chart(rows, osp.join(args.out_dir, 'benchmark.png'))
    print('\n' + table)
    if missing:
        print('no result file (run without --from-results to make one): ' + ', '.join(missing))
    print(f'written: {args.out_dir}/benchmark.{{json,md,png}}')


if __name__ == '__main__':
    main()
