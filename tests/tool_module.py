"""Import a script under ``tools/`` (not a package) as a module, for its tests."""
import importlib.util
import os.path as osp
from types import ModuleType

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def tool_module(path: str) -> ModuleType:
    """``tools/<path>`` (e.g. ``'misc/update_results.py'``) executed as a fresh module."""
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO, 'tools', path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
