"""Two narrow fixes that let mmengine 0.10.7 serve a third-party package on torch >= 2.6.

1. ``_base_ = 'mmwsis::irn/irn_voc.py'``: mmengine only resolves ``pkg::`` for the 19
   OpenMMLab packages in ``MODULE2PACKAGE`` and locates them with ``pkg_resources``, which
   misses PEP 660 editable installs. We add mmwsis to that table and answer its location
   from ``mmwsis.__file__`` (open-mmlab/mmengine#1410).
2. ``torch.load`` defaults to ``weights_only=True`` since torch 2.6, and mmengine's own
   checkpoints hold a few non-tensor objects (message-hub buffers, numpy scalars), so
   ``resume`` fails. On torch >= 2.6 only, mmengine's local loader gets exactly those
   types allow-listed, for its own loads only; everything else stays refused
   (open-mmlab/mmengine#1655). Checkpoints written under numpy 1.x or 2.x both load.
"""
import collections
import os.path as osp

import numpy as np
import torch
from mmengine.config import config as mmengine_config
from mmengine.config import utils as mmengine_config_utils
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader
from mmengine.utils import digit_version

PACKAGE = 'mmwsis'


def register_config_package() -> None:
    """Make ``mmwsis::<dir>/<file>.py`` resolvable in ``_base_`` (idempotent)."""
    mmengine_config_utils.MODULE2PACKAGE.setdefault(PACKAGE, PACKAGE)
    original = mmengine_config.get_installed_path
    if getattr(original, '_mmwsis_patched', False):
        return

    def get_installed_path(package: str) -> str:
        if package == PACKAGE:
            return osp.dirname(osp.dirname(osp.abspath(__file__)))
        return original(package)

    get_installed_path._mmwsis_patched = True
    mmengine_config.get_installed_path = get_installed_path


def torch_loads_weights_only() -> bool:
    """Whether ``torch.load`` defaults to ``weights_only=True`` (torch >= 2.6)."""
    return digit_version(torch.__version__) >= digit_version('2.6.0')


def _numpy_core_names(attr: str) -> list:
    """``numpy.<core>.multiarray.<attr>`` under both names a checkpoint may use: numpy 2
    writes ``numpy._core``, numpy 1.x (the GPU install, torch 2.1) ``numpy.core``."""
    core = getattr(np, '_core', None) or np.core  # numpy 2 / numpy 1.x
    obj = getattr(core.multiarray, attr)
    return [(obj, f'numpy.{package}.multiarray.{attr}') for package in ('core', '_core')]


def mmengine_checkpoint_globals() -> list:
    """The non-tensor globals in checkpoints written by mmengine's runner.

    Message-hub ``HistoryBuffer`` objects (whose ``statistics_methods`` pickle as
    ``getattr(HistoryBuffer, 'min')``...), numpy arrays and scalars in ``meta``, and the
    ``Counter`` of the data-loader state.
    """
    numpy_scalar_types = [type(np.dtype(code)) for code in 'bBhHiIlLqQefdg?']
    return [
        HistoryBuffer,
        getattr,
        collections.Counter,
        np.ndarray,
        np.dtype,
        *_numpy_core_names('_reconstruct'),
        *_numpy_core_names('scalar'),
        *numpy_scalar_types,
    ]


def load_local_checkpoint(filename: str, map_location=None) -> dict:
    """mmengine's local checkpoint loader with ``weights_only=True`` and the allow-list
    above in force for this one load only (plain ``torch.load`` stays strict)."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    with torch.serialization.safe_globals(mmengine_checkpoint_globals()):
        return torch.load(filename, map_location=map_location, weights_only=True)


def allow_mmengine_checkpoints() -> None:
    """Make mmengine's local checkpoint loading (resume, ``load_from``) use
    :func:`load_local_checkpoint` where torch needs it (>= 2.6); older torch loads
    mmengine's checkpoints as they are and is left alone (idempotent)."""
    if torch_loads_weights_only():
        CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
