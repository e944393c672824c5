"""The config each pipeline stage runs: its own file, the run's data, options and inputs."""
import copy
import os.path as osp
from typing import Any, Dict, Optional, Set, Tuple

from mmengine.config import Config

from mmwsis.utils.data_settings import apply_data_settings

PACKAGE_PREFIX = 'mmwsis::'


def config_path(path: str, relative_to: str) -> str:
    """``mmwsis::<dir>/<file>.py`` (a config of this package) or a path relative to the
    folder ``relative_to``, as an absolute path."""
    if path.startswith(PACKAGE_PREFIX):
        package = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
        # a wheel ships configs in mmwsis/.mim/configs; a source checkout beside mmwsis/
        for configs in (osp.join(package, '.mim', 'configs'),
                        osp.join(osp.dirname(package), 'configs')):
            candidate = osp.join(configs, path[len(PACKAGE_PREFIX):])
            if osp.isfile(candidate):
                return candidate
        raise FileNotFoundError(f'{path}: no such config in the installed mmwsis')
    return osp.abspath(osp.join(relative_to, path))


def _lookup(node: Any, keys) -> Tuple[bool, Any]:
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, (list, tuple)) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return False, None
    return True, node


def existing_options(cfg: Config, options: Dict[str, Any]) -> Dict[str, Any]:
    """The ``--cfg-options`` whose key already exists in ``cfg``."""
    return {key: value for key, value in options.items()
            if _lookup(cfg._cfg_dict, key.split('.'))[0]}


def set_by_path(cfg: Config, path: str, value: Any) -> None:
    """``cfg.<path> = value`` for a dotted path whose parent exists."""
    found, parent = _lookup(cfg._cfg_dict, path.split('.')[:-1])
    if not found:
        raise KeyError(f'{path}: the config has no {path.rsplit(".", 1)[0]}')
    key = path.rsplit('.', 1)[-1]
    if isinstance(parent, list):
        parent[int(key)] = value
    else:
        parent[key] = value


def referenced_splits(node: Any) -> Set[str]:
    """The ``split`` of every ``dict(type='DataSplit', ...)`` below ``node`` (a config)."""
    if isinstance(node, dict):
        found = {node['split']} if node.get('type') == 'DataSplit' else set()
        return found.union(*(referenced_splits(value) for value in node.values()))
    if isinstance(node, (list, tuple)):
        return set().union(*(referenced_splits(value) for value in node))
    return set()


def prepare_stage_config(cfg: Config, data: Dict[str, Any], options: Dict[str, Any],
                         inputs: Optional[Dict[str, Any]] = None) -> Tuple[Config, Dict]:
    """A stage's config made to run: the run's data settings, the options whose keys it
    has, the inputs from earlier stages (dotted path -> value), data references resolved.

    Returns the config (a copy) and the options that were applied.
    """
    cfg = copy.deepcopy(cfg)
    for key, value in data.items():
        cfg[key] = copy.deepcopy(value)
    applied = existing_options(cfg, options)
    if applied:
        cfg.merge_from_dict(applied)
    for path, value in (inputs or {}).items():
        set_by_path(cfg, path, value)
    return apply_data_settings(cfg), applied
