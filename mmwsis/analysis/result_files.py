"""The result files of pipeline runs (``configs/<method>/results/<name>.json``, as
``tools/pipeline.py`` writes ``results.json``) and the metafile collections they belong to.
"""
import glob
import json
import os.path as osp
from typing import Dict, List, Optional

import yaml

SUPERVISION_NAMES = {'image': 'image labels', 'point': 'points', 'box': 'boxes',
                     'mask': 'masks'}
# The built-in data, in the order tables give them (others follow).
DATASETS = ('synthetic', 'synthetic_photo')
DATASET_TITLES = {'synthetic': 'shapes', 'synthetic_photo': 'photographic scenes'}


def load_results(root: str) -> Dict[str, List[dict]]:
    """{method folder: its result files, by file name}; each gets its ``name``."""
    found: Dict[str, List[dict]] = {}
    for path in sorted(glob.glob(osp.join(root, 'configs', '*', 'results', '*.json'))):
        with open(path) as f:
            result = json.load(f)
        result['name'] = osp.splitext(osp.basename(path))[0]
        found.setdefault(osp.basename(osp.dirname(osp.dirname(path))), []).append(result)
    return found


def collections(root: str, method: str) -> List[dict]:
    """The ``Collections`` of ``configs/<method>/metafile.yml`` (one per supervision)."""
    with open(osp.join(root, 'configs', method, 'metafile.yml')) as f:
        return yaml.safe_load(f)['Collections']


def collection_of(metas: List[dict], run: dict) -> dict:
    """The collection of a run's supervision (result files without one are image labels)."""
    supervision = SUPERVISION_NAMES[run.get('supervision', 'image')]
    for meta in metas:
        if meta['Metadata']['Supervision'] == supervision:
            return meta
    raise ValueError(f'{run.get("name", run["config"])}: no collection with Supervision: '
                     f'{supervision} in the metafile of {run["config"]}; add one')


def dataset_name(result: dict) -> str:
    """``data/synthetic_photo/`` -> ``synthetic_photo``."""
    return osp.basename(result['data_root'].rstrip('/'))


def fmt(value: Optional[float]) -> str:
    return '-' if value is None else f'{value:.1f}'
