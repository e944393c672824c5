"""Turn a config's ``pseudo_label`` section into a test dataloader and a collector."""
import copy
import os.path as osp
from typing import Tuple

from mmengine.config import Config, ConfigDict


def pseudo_label_out_dir(cfg: Config) -> str:
    """``pseudo_label.out_dir`` or ``<work_dir>/pseudo_labels``."""
    section = cfg.get('pseudo_label')
    if section is None:
        raise KeyError('this config has no `pseudo_label` section: it is not a teacher config')
    return section.get('out_dir') or osp.join(cfg.work_dir, 'pseudo_labels')


def pseudo_label_loop_cfgs(cfg: Config) -> Tuple[ConfigDict, ConfigDict]:
    """(dataloader, evaluator) configs of the pseudo-label run of a teacher config.

    The config's ``pseudo_label`` section holds ``dataloader`` (the split to label, read at
    the config's weak supervision), ``labeler`` and the collector's options. The loader
    is wrapped so that images already cached are skipped (resume), and the collector gets
    the same split with ``supervision='mask'`` for image sizes, labels and GT scoring.
    """
    section = copy.deepcopy(cfg.pseudo_label)
    out_dir = pseudo_label_out_dir(cfg)
    name = section.get('name', 'train')
    loader = section.pop('dataloader')
    dataset = loader.dataset
    loader.dataset = ConfigDict(type='PendingImagesDataset', dataset=dataset,
                                cache_dir=osp.join(out_dir, 'cache', name))
    collector = ConfigDict(type='PseudoLabelCollector', dataset=reference_dataset_cfg(cfg),
                           out_dir=out_dir, name=name,
                           **{k: v for k, v in section.items() if k not in ('out_dir', 'name')})
    return loader, collector


def reference_dataset_cfg(cfg: Config) -> ConfigDict:
    """The dataset of ``cfg.pseudo_label``'s split at ``supervision='mask'``, without
    transforms: what the collector and the analysis tools read image sizes, image labels
    and GT instances from (GT only to score, never to label)."""
    reference = copy.deepcopy(cfg.pseudo_label.dataloader.dataset)
    reference.update(pipeline=[], supervision='mask', test_mode=True)
    return reference
