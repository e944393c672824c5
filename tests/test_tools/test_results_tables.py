"""README tables, metafiles and model-index.yml are generated from the result files."""
import importlib.util
import json
import os.path as osp
import shutil

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def generator():
    spec = importlib.util.spec_from_file_location(
        'update_results', osp.join(REPO, 'tools', 'misc', 'update_results.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
