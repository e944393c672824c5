"""Fail early, naming the file, when a config needs weights that are not on disk."""
import os.path as osp
from typing import Iterator, Tuple

from mmengine.config import Config

# Where the usual ImageNet initialisations come from; nothing is downloaded at run time.
KNOWN_SOURCES = {
    'resnet50-0676ba61.pth': 'https://download.pytorch.org/models/resnet50-0676ba61.pth',
    'resnet50-19c8e357.pth': 'https://download.pytorch.org/models/resnet50-19c8e357.pth',
    'resnet101-63fe2227.pth': 'https://download.pytorch.org/models/resnet101-63fe2227.pth',
}


def _checkpoints(node, path: str = 'cfg') -> Iterator[Tuple[str, str]]:
    if isinstance(node, dict):
        init_cfg = node.get('init_cfg')
        for cfg in init_cfg if isinstance(init_cfg, list) else [init_cfg]:
            if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained':
                yield f'{path}.init_cfg', cfg['checkpoint']
        for key, value in node.items():
            yield from _checkpoints(value, f'{path}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _checkpoints(value, f'{path}[{i}]')


def check_pretrained_files(cfg: Config) -> None:
    """Raise ``FileNotFoundError`` for a local ``Pretrained`` checkpoint or ``load_from``
    that does not exist, and for URL schemes that would need the network."""
    wanted = list(_checkpoints(cfg.to_dict()))
    if cfg.get('load_from'):
        wanted.append(('cfg.load_from', cfg.load_from))
    for where, checkpoint in wanted:
        if '://' in checkpoint:
            raise FileNotFoundError(
                f'{where} = {checkpoint!r} would be downloaded at run time, which mmwsis does '
                f'not do; download it once and set a local path instead.')
        if not osp.isfile(checkpoint):
            name = osp.basename(checkpoint)
            source = KNOWN_SOURCES.get(name)
            hint = f' It is published at {source}.' if source else ''
            raise FileNotFoundError(
                f'{where} needs {checkpoint!r}, which does not exist. Put the file there or '
                f'override the path with --cfg-options.{hint}')
