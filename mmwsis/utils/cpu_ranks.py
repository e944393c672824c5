"""Distributed runs on CPU-only machines, where mmengine's launcher assumes CUDA.

mmengine 0.10's ``pytorch`` launcher calls ``torch.cuda.set_device`` before
``init_process_group`` and wraps the model in DDP with ``device_ids=[LOCAL_RANK]``; on a
CPU build the first raises and the second is refused. On a machine without CUDA only,
:func:`prepare_cpu_ranks` opens the gloo process group itself (mmengine then skips its own
``init_dist``) and asks for DDP without device ids. With CUDA it changes nothing, so GPU
runs stay exactly as mmengine does them.
"""
import os

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.logging import print_log


def prepare_cpu_ranks(cfg: Config) -> bool:
    """Set up ``cfg.launcher``'s ranks on CPU; returns whether it did anything.

    Only for ``launcher='pytorch'`` (``torchrun``, ``tools/dist_*.sh``) without CUDA. Any
    backend asked for in ``env_cfg.dist_cfg`` other than gloo cannot run there, so gloo is
    used and the log says so.
    """
    if cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available():
        return False
    if not torch_dist.is_initialized():
        asked = cfg.get('env_cfg', {}).get('dist_cfg', {}).get('backend', 'gloo')
        if asked != 'gloo':
            print_log(f'no CUDA on this machine: distributed backend {asked!r} replaced by '
                      "'gloo'", logger='current')
        torch_dist.init_process_group(backend='gloo', rank=int(os.environ['RANK']),
                                      world_size=int(os.environ['WORLD_SIZE']))
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel', device_ids=None, broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    return True
