"""`tools/benchmark.py`: the pipeline configs of the presets, one table, json and chart."""
import json
import sys

import pytest

from tests.tool_module import tool_module

RUN = dict(data_root='data/synthetic/', columns=['mAP25', 'mAP50', 'mAP70', 'mAP75'],
           pseudo={'mAP25': 80.0, 'mAP50': 60.0, 'mAP70': 30.0, 'mAP75': 20.0},
           pseudo_instance_mIoU=55.0,
           refined={'mAP25': 85.0, 'mAP50': 70.0, 'mAP70': 40.0, 'mAP75': 30.0},
           ceiling={'mAP25': 95.0, 'mAP50': 87.5, 'mAP70': 70.0, 'mAP75': 60.0},
           ratio={'mAP25': 89.5, 'mAP50': 80.0, 'mAP70': 57.1, 'mAP75': 50.0},
           stages={'A. teacher: prm': 100.0, 'A. prm labels': 20.0, 'B. pseudo labels': 5.0,
                   'C. refine + evaluate': 300.0, 'ceiling: fully supervised': 400.0},
           command='python tools/pipeline.py ...', machine='m', commit='0' * 40)


def toy_repo(tmp_path):
    """Two methods: ``toy`` (image labels, shapes and photo configs; a teacher step that
    is no pipeline) and ``box`` (boxes, a teacher that also segments val)."""
    root = tmp_path / 'repo'
    for method, name, level, paper in (('toy', 'Toy', 'image', 0.7), ('box', 'Box', 'box', None)):
        folder = root / 'configs' / method
        (folder / 'results').mkdir(parents=True)
        supervision = {'image': 'image labels', 'box': 'boxes'}[level]
        (folder / 'metafile.yml').write_text(
            f'Collections:\n- Name: {name}\n  Metadata:\n    Supervision: {supervision}\n'
            f'    Paper VOC ratio at mAP50: {"null" if paper is None else paper}\n'
            'Models: []\n')
        for suffix in ('_synthetic', '_synthetic_photo'):
            (folder / f'{method}{suffix}.py').write_text(
                f"supervision = '{level}'\nwsis_pipeline = dict(teacher_steps=[])\n")
    (root / 'configs' / 'toy' / 'step_synthetic.py').write_text("supervision = 'image'\n")
    (root / 'configs' / 'toy' / 'results' / 'toy_synthetic.json').write_text(json.dumps(RUN))
    (root / 'configs' / 'box' / 'results' / 'box_synthetic.json').write_text(json.dumps(dict(
        RUN, supervision='box', teacher_val={'mAP25': 90.0, 'mAP50': 61.25, 'mAP70': 35.0,
                                             'mAP75': 15.0})))
    return root


def run_tool(monkeypatch, root, *args):
    monkeypatch.setattr(sys, 'argv', ['benchmark.py', '--root', str(root), *args])
    tool_module('benchmark.py').main()


def test_the_committed_results_make_one_table_json_and_chart(tmp_path, monkeypatch, capsys):
    root = toy_repo(tmp_path)
    out = tmp_path / 'out'
    run_tool(monkeypatch, root, '--from-results', '--out-dir', str(out))
    data = json.loads((out / 'benchmark.json').read_text())
    names = [(row['preset'], row['name']) for row in data['rows']]
    # image labels before boxes; the teacher's own val row after its method's
    assert names == [('shapes', 'Toy'), ('shapes', 'Box'), ('shapes', 'Box, itself')]
    assert data['missing'] == ['configs/toy/toy_synthetic_photo.py',
                               'configs/box/box_synthetic_photo.py']
    itself = data['rows'][2]
    assert itself['ratio']['mAP50'] == pytest.approx(0.7)  # 61.25 / 87.5
    table = (out / 'benchmark.md').read_text()
    assert ('| image labels | Toy | 80.0 / 60.0 / 30.0 / 20.0 | 55.0 | 85.0 / 70.0 / 40.0 / '
            '30.0 | 87.5 / 60.0 | 0.80 (0.50) | 0.70 | A 120 / B 5 / C 300 / ceiling 400 |'
            in table)
    assert '| boxes | Box, itself | - / - / - / - | - | 90.0 / 61.2 /' in table
    assert (out / 'benchmark.png').stat().st_size > 0
    assert 'toy_synthetic_photo.py' in capsys.readouterr().out


def test_supervision_and_preset_choose_the_configs(tmp_path):
    root = toy_repo(tmp_path)
    benchmark = tool_module('benchmark.py')
    chosen = benchmark.method_configs(str(root), ['photo'], ['box'])
    assert chosen == [dict(config='configs/box/box_synthetic_photo.py', method='box',
                           preset='photo', supervision='box')]
    # a teacher step of another pipeline (no wsis_pipeline) is not a method
    every = benchmark.method_configs(str(root), ['shapes', 'photo'], None)
    assert 'configs/toy/step_synthetic.py' not in [e['config'] for e in every]
    assert len(every) == 4


def test_no_matching_config_is_an_error(tmp_path, monkeypatch):
    root = toy_repo(tmp_path)
    with pytest.raises(SystemExit, match='no pipeline config matches'):
        run_tool(monkeypatch, root, '--from-results', '--supervision', 'point')
