"""README tables, metafiles and model-index.yml are generated from the result files."""
import json
import os.path as osp
import shutil

import pytest

from tests.tool_module import tool_module

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def generator():
    return tool_module('misc/update_results.py')


def test_the_repository_tables_match_its_result_files():
    generator().update(check=True)  # exits naming the stale files otherwise


def test_a_changed_result_shows_as_out_of_date_until_regenerated(tmp_path):
    root = tmp_path / 'repo'
    shutil.copytree(osp.join(REPO, 'configs'), root / 'configs',
                    ignore=shutil.ignore_patterns('*.py'))
    shutil.copy(osp.join(REPO, 'README.md'), root / 'README.md')
    shutil.copy(osp.join(REPO, 'model-index.yml'), root / 'model-index.yml')
    result = next((root / 'configs').glob('*/results/*.json'))
    data = json.loads(result.read_text())
    data['refined']['mAP50'] = 12.3
    result.write_text(json.dumps(data))
    update = generator().update
    with pytest.raises(SystemExit, match='out of date'):
        update(check=True, root=str(root))
    update(check=False, root=str(root))
    update(check=True, root=str(root))
    assert '/ 12.3 /' in (root / 'README.md').read_text()


TOY_RUN = dict(config='configs/toy/toy.py', data_root='data/synthetic/', columns=['mAP50'],
               pseudo={'mAP50': 10.0}, refined={'mAP50': 20.0}, ceiling={'mAP50': 40.0},
               ratio={'mAP50': 50.0}, stages={}, command='c', machine='m')


def toy_repo(tmp_path, collections, page=''):
    """A repo with one method folder ``configs/toy``: its metafile's ``collections``
    ((name, supervision) pairs), its page (the ``toy`` table's markers, then ``page``)."""
    root = tmp_path / 'repo'
    method = root / 'configs' / 'toy'
    (method / 'results').mkdir(parents=True)
    paper = {'Paper VOC ratio at mAP50': 0.5, 'Paper VOC ratio at mAP75': None}
    (method / 'metafile.yml').write_text(
        'Collections:\n'
        + ''.join(f'- Name: {name}\n  Metadata:\n    Supervision: {level}\n'
                  + ''.join(f'    {k}: {"null" if v is None else v}\n' for k, v in paper.items())
                  for name, level in collections)
        + 'Models: []\n')
    (method / 'README.md').write_text('<!-- results:toy -->\n<!-- /results:toy -->\n' + page)
    (root / 'README.md').write_text('<!-- results:methods -->\n<!-- /results:methods -->\n')
    (root / 'model-index.yml').write_text('')
    return root, method


def test_a_points_result_gets_the_row_of_its_supervision(tmp_path):
    root, method = toy_repo(tmp_path, (('Toy', 'image labels'), ('Toy-P', 'points')))
    run = TOY_RUN
    (method / 'results' / 'toy_synthetic.json').write_text(json.dumps(run))
    (method / 'results' / 'toy-p_synthetic.json').write_text(
        json.dumps(dict(run, supervision='point', refined={'mAP50': 30.0})))
    generator().update(check=False, root=str(root))
    table = (root / 'README.md').read_text()
    assert '| [Toy](configs/toy/README.md) | image labels | 10.0 / 20.0 /' in table
    assert '| [Toy-P](configs/toy/README.md) | points | 10.0 / 30.0 /' in table
    assert 'In Collection: Toy-P' in (method / 'metafile.yml').read_text()

    (method / 'results' / 'toy-b_synthetic.json').write_text(
        json.dumps(dict(run, supervision='box')))
    with pytest.raises(ValueError, match='no collection with Supervision: boxes'):
        generator().update(check=False, root=str(root))


def test_an_ablation_file_fills_its_table_on_the_method_page(tmp_path):
    root, method = toy_repo(
        tmp_path, (('Toy', 'image labels'), ),
        '<!-- results:toy_synthetic-ablation -->\nold\n<!-- /results:toy_synthetic-ablation -->\n')
    (method / 'ablations').mkdir()
    run = TOY_RUN
    (method / 'results' / 'toy_synthetic.json').write_text(json.dumps(run))
    rows = [dict(variant=v, title=t, voc={'mAP50': m}, coco={'mAP50': m - 1})
            for v, t, m in (('cim', 'mining + integrity', 41.25), ('pcl', 'neither', 30.0))]
    (method / 'ablations' / 'toy_synthetic.json').write_text(json.dumps(dict(
        config='configs/toy/toy.py', num_images=80, columns=['mAP50'], rows=rows,
        command='python tools/analysis_tools/ablation.py x', machine='m',
        date='2026-12-02', commit='0123456789')))
    generator().update(check=False, root=str(root))
    page = (method / 'README.md').read_text()
    assert '| mining + integrity | 41.2 | 40.2 |' in page
    assert '| neither | 30.0 | 29.0 |' in page
    assert 'first 80 training images' in page and 'old' not in page
