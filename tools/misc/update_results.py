"""Regenerate every results table, metafile and the model index from the result files.

    python tools/misc/update_results.py           # rewrite them
    python tools/misc/update_results.py --check   # exit 1 if any is out of date

A result file is the ``results.json`` that ``tools/pipeline.py`` wrote for a run, copied
to ``configs/<method>/results/<name>.json`` when the run is the one a method reports. From
them this script writes:

- the ``Models`` of ``configs/<method>/metafile.yml`` (its ``Collections``, with the paper
  and its VOC ratios, are written by hand and kept; a folder with variants for several
  supervision levels, as CIM's image labels and points, has one collection per level, and
  a result belongs to the one of its ``supervision``);
- ``model-index.yml``, which imports every metafile;
- the table between ``<!-- results:NAME -->`` and ``<!-- /results:NAME -->`` in
  ``README.md`` (NAME ``methods``: one row per result file) and in each method's
  ``configs/<method>/README.md`` (NAME ``<method>``: its runs in full; NAME
  ``<name>-ablation``: the ablation file ``configs/<method>/ablations/<name>.json``, as
  ``tools/analysis_tools/ablation.py --out`` writes it).
"""
import argparse
import glob
import json
import os.path as osp
import re
import sys
from typing import Dict, List

import yaml

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO, 'mmwsis')) and REPO not in sys.path:
    sys.path.insert(0, REPO)

from mmwsis.analysis.result_files import (DATASET_TITLES, DATASETS,  # noqa: E402
                                          SUPERVISION_NAMES, collection_of, collections,
                                          dataset_name, fmt, load_results)

MARKER = re.compile(
    r'(<!-- results:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /results:(?P=name) -->)', re.S)
INDEX_HEADER = ('# Written by tools/misc/update_results.py. mmengine resolves\n'
                "# `_base_ = 'mmwsis::<dir>/<file>.py'` through this file and the metafiles.\n")


def ratio_cell(run: dict) -> str:
    ratios = [f'{run["ratio"][c] / 100:.2f}' if c in run['ratio'] else '-'
              for c in ('mAP50', 'mAP75')]
    return (f'{fmt(run["pseudo"].get("mAP50"))} / {fmt(run["refined"].get("mAP50"))} / '
            f'{ratios[0]} ({ratios[1]})')


def methods_table(root: str, results: Dict[str, List[dict]]) -> str:
    """One row per method, one column per dataset: pseudo mAP50 (train) / Mask R-CNN
    mAP50 (val) / ratio to the ceiling at mAP50 (at mAP75)."""
    found = {dataset_name(run) for runs in results.values() for run in runs}
    datasets = [d for d in DATASETS if d in found] + sorted(found - set(DATASETS))
    lines = ['| method | supervision | ' + ' | '.join(
                 f'{DATASET_TITLES.get(d, d)}: pseudo mAP50 / Mask R-CNN mAP50 / ratio at '
                 'mAP50 (mAP75)' for d in datasets) + " | the paper's VOC ratio at mAP50 |",
             '|---|---|' + '---|' * len(datasets) + '---|']
    for method, runs in results.items():
        metas = collections(root, method)
        for meta in metas:
            by_data = {dataset_name(run): run for run in runs
                       if collection_of(metas, run) is meta}
            if not by_data:
                continue
            cells = [ratio_cell(by_data[d]) if d in by_data else '-' for d in datasets]
            paper = meta['Metadata']['Paper VOC ratio at mAP50']
            lines.append(f'| [{meta["Name"]}](configs/{method}/README.md) | '
                         f'{meta["Metadata"]["Supervision"]} | ' + ' | '.join(cells) +
                         f' | {"-" if paper is None else f"{paper:.2f}"} |')
    return '\n'.join(lines)


def method_table(runs: List[dict]) -> str:
    blocks = []
    for run in runs:
        columns = run['columns']
        rows = [('pseudo labels (train)', run['pseudo'])]
        if run.get('teacher_val'):  # a teacher that segments instances itself (BoxInst)
            rows.append(('the teacher itself (val)', run['teacher_val']))
        rows += [('Mask R-CNN on the pseudo labels (val)', run['refined']),
                ('fully-supervised ceiling (val)', run['ceiling']),
                ('ratio to the ceiling (x100)', run['ratio'])]
        name = DATASET_TITLES.get(dataset_name(run), dataset_name(run))
        if run.get('supervision', 'image') != 'image':
            name += f', {SUPERVISION_NAMES[run["supervision"]]}'
        lines = [f'**{name}**: `{run["command"]}` ({run["machine"]}, '
                 f'{run.get("date", "?")}, commit {run.get("commit", "?")[:8]}):', '',
                 '| | ' + ' | '.join(columns) + ' |',
                 '|---|' + '---|' * len(columns)]
        lines += [f'| {name} | ' + ' | '.join(fmt(values.get(c)) for c in columns) + ' |'
                  for name, values in rows]
        if run.get('pseudo_instance_mIoU') is not None:
            lines += ['', "GT instances' mIoU with their best pseudo mask (train): "
                          f'{run["pseudo_instance_mIoU"]:.1f}.']
        if run.get('teacher', {}).get('cam/mIoU') is not None:
            lines += ['', f'CAM mIoU on train (background 0.15): '
                          f'{run["teacher"]["cam/mIoU"]:.1f}.']
        for step, metrics in run.get('step_labels', {}).items():
            if metrics:
                lines += ['', f'`{step}` labels on train: ' + ', '.join(
                    f'{key} {value:.1f}' for key, value in metrics.items()) + '.']
        stages = ', '.join(f'{name} {seconds:.0f} s' for name, seconds in run['stages'].items()
                           if seconds is not None)
        lines += ['', f'Stage times: {stages}.']
        blocks.append('\n'.join(lines))
    return '\n\n'.join(blocks)


def load_ablations(root: str, method: str) -> Dict[str, dict]:
    """{``<name>-ablation``: the ablation file} of a method folder."""
    found = {}
    for path in sorted(glob.glob(osp.join(root, 'configs', method, 'ablations', '*.json'))):
        with open(path) as f:
            found[osp.splitext(osp.basename(path))[0] + '-ablation'] = json.load(f)
    return found


def ablation_table(ablation: dict) -> str:
    """Pseudo-label mAP (VOC, COCOeval mAP50 last) of each variant of an ablation."""
    columns = ablation['columns']
    lines = [f'`{ablation["command"]}` ({ablation["machine"]}, {ablation["date"]}, commit '
             f'{ablation["commit"][:8]}); pseudo labels of the first {ablation["num_images"]} '
             'training images (%):', '',
             '| variant | ' + ' | '.join(f'VOC {c}' for c in columns) + ' | COCOeval mAP50 |',
             '|---|' + '---|' * (len(columns) + 1)]
    lines += [f'| {row["title"]} | ' + ' | '.join(fmt(row['voc'][c]) for c in columns) +
              f' | {fmt(row["coco"]["mAP50"])} |' for row in ablation['rows']]
    return '\n'.join(lines)


def metafile(root: str, method: str, runs: List[dict]) -> str:
    with open(osp.join(root, 'configs', method, 'metafile.yml')) as f:
        data = yaml.safe_load(f)
    data['Models'] = [dict(
        Name=run['name'], **{'In Collection': collection_of(data['Collections'], run)['Name']},
        Config=run['config'],
        Metadata=dict(Supervision=SUPERVISION_NAMES[run.get('supervision', 'image')],
                      **{'Training Data': dataset_name(run)}),
        Results=[dict(Task='Instance Segmentation', Dataset=dataset_name(run), Metrics={
            **{f'pseudo {k}': round(v, 1) for k, v in run['pseudo'].items()},
            **{f'mask {k}': round(v, 1) for k, v in run['refined'].items() if v is not None},
            **{f'ratio {k}': round(v / 100, 3) for k, v in run['ratio'].items()}})])
        for run in runs]
    return yaml.safe_dump(data, sort_keys=False, width=100)


def replace_tables(path: str, tables: Dict[str, str]) -> str:
    with open(path) as f:
        text = f.read()

    def fill(match: re.Match) -> str:
        name = match.group('name')
        body = tables.get(name, match.group('body').rstrip('\n'))
        return f'{match.group(1)}{body}\n{match.group(4)}'

    return MARKER.sub(fill, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true',
                        help='change nothing; exit 1 if a file is out of date')
    args = parser.parse_args()
    update(check=args.check)


def update(check: bool, root: str = REPO) -> None:
    """Rewrite (or, with ``check``, compare) every generated file under ``root``."""
    results = load_results(root)
    metafiles = sorted(osp.relpath(p, root)
                       for p in glob.glob(osp.join(root, 'configs', '*', 'metafile.yml')))
    outputs = {osp.join(root, 'model-index.yml'): INDEX_HEADER + yaml.safe_dump(
        dict(Import=metafiles), sort_keys=False)}
    # every metafile gets its `Models` (empty until a run is reported): mmengine reads the
    # key of each one when it resolves an `mmwsis::` config of an installed package
    methods = [osp.basename(osp.dirname(path)) for path in metafiles]
    for method in methods:
        runs = results.get(method, [])
        outputs[osp.join(root, 'configs', method, 'metafile.yml')] = metafile(root, method, runs)
        readme = osp.join(root, 'configs', method, 'README.md')
        tables = {name: ablation_table(ablation)
                  for name, ablation in load_ablations(root, method).items()}
        outputs[readme] = replace_tables(readme, {method: method_table(runs), **tables})
    readme = osp.join(root, 'README.md')
    outputs[readme] = replace_tables(readme, {'methods': methods_table(root, results)})

    stale = []
    for path, text in outputs.items():
        with open(path) as f:
            if f.read() == text:
                continue
        stale.append(osp.relpath(path, root))
        if not check:
            with open(path, 'w') as f:
                f.write(text)
    if check and stale:
        sys.exit(f'out of date: {", ".join(stale)}; run python tools/misc/update_results.py')
    print('up to date' if check else 'updated: ' + (', '.join(stale) or 'nothing'))


if __name__ == '__main__':
    main()
