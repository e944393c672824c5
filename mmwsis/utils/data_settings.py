"""A config names its data once; every dataset, metric and head follows.

mmengine resolves a config's variables when each file is parsed, so a child that changes
``data_root`` or the classes leaves every loader, metric and ``num_classes`` of its bases
as they were (mmdet users restate them all). An mmwsis config instead holds its data
settings at the top level::

    data_root = 'data/my_voc/'
    classes = ('cat', 'dog', 'bird')
    data_splits = dict(train=dict(type='VOCInstanceDataset', ann_file=...), val=dict(...))
    instance_metric = dict(type='InstanceMAPMetric', mode='voc')
    supervision = 'image'          # what the training pipeline may see

and refers to them: a dataset is ``dict(type='DataSplit', split='train', pipeline=...)``
and an evaluator ``dict(type='DataMetric')``. :func:`apply_data_settings`, which every
mmwsis tool runs after ``--cfg-options``, turns the references into real configs:

- ``DataSplit``: ``data_splits[split]``, then ``data_root`` (unless the split names its
  own: data kept elsewhere, such as BoxCaseg's salient images), ``metainfo=dict(classes=
  ...)`` and ``supervision``, then the reference's own keys (which win; ``data_prefix``
  entries are merged). ``labels=<json>`` reads the split's images with the labels of a
  pseudo-label json instead (a ``COCOInstanceDataset``; the path is relative to the
  working directory);
- ``DataMetric``: ``instance_metric`` updated by its own keys; an ``mmdet.CocoMetric``
  without ``ann_file`` scores against the annotation file of the val split;
- every ``num_classes`` in ``model`` and in the loaders (transforms such as CIM's
  ``AssignProposalClusters``) becomes ``len(classes)`` (class-agnostic heads, such as
  mmdet's ``RPNHead``, carry none), and so does the top-level ``num_classes``.
"""
import copy
import os.path as osp
from typing import Any, Dict, Optional, Sequence

from mmengine.config import Config, ConfigDict

from mmwsis.registry import DATASETS, METRICS

#: The top-level keys that describe a config's data (what ``tools/pipeline.py`` hands
#: from the config it runs to every stage).
DATA_SETTINGS = ('data_root', 'classes', 'data_splits', 'instance_metric')
#: Where every ``num_classes`` follows the classes.
NUM_CLASSES_KEYS = ('model', 'train_dataloader', 'val_dataloader', 'test_dataloader',
                    'pseudo_label')
UNRESOLVED = ('{kind} refers to the config\'s data settings and is filled in by '
              'mmwsis.utils.apply_data_settings(cfg); build it through mmwsis\'s tools '
              '(tools/train.py, tools/test.py, mim train mmwsis ...) or call that first')


@DATASETS.register_module(name='DataSplit')
def unresolved_data_split(**kwargs):
    """Placeholder type: see :func:`apply_data_settings`."""
    raise RuntimeError(UNRESOLVED.format(kind=f"dict(type='DataSplit', {kwargs.get('split')!r})"))


@METRICS.register_module(name='DataMetric')
def unresolved_data_metric(**kwargs):
    """Placeholder type: see :func:`apply_data_settings`."""
    raise RuntimeError(UNRESOLVED.format(kind="dict(type='DataMetric')"))


def _is_ref(node: Any, kind: str) -> bool:
    return isinstance(node, dict) and node.get('type') == kind


def _resolve_split(ref: dict, cfg: Config) -> ConfigDict:
    splits = cfg.get('data_splits') or {}
    name = ref.get('split')
    if name not in splits:
        raise KeyError(f"dict(type='DataSplit', split={name!r}): the config's data_splits "
                       f'has {sorted(splits)}; add data_splits.{name} or use one of those')
    template = copy.deepcopy(dict(splits[name]))
    prefix = dict(template.get('data_prefix') or {})
    own = {k: copy.deepcopy(v) for k, v in ref.items() if k not in ('type', 'split', 'labels')}
    prefix.update(own.pop('data_prefix', None) or {})
    labels = ref.get('labels')
    if labels:  # the split's images with the labels of a pseudo-label json
        if 'img' not in prefix:
            raise KeyError(f'data_splits.{name} names no image folder (data_prefix.img), '
                           'which a pseudo-label json needs')
        template = dict(type='COCOInstanceDataset', ann_file=osp.abspath(labels))
        prefix = dict(img=prefix['img'])
    dataset = dict(template, data_prefix=prefix,
                   data_root=template.get('data_root', cfg.data_root),
                   metainfo=dict(classes=tuple(cfg.classes)),
                   supervision=cfg.get('supervision', 'mask'))
    dataset.update(own)
    return ConfigDict(dataset)


def _resolve_tree(node: Any, cfg: Config) -> Any:
    """``node`` with every ``DataSplit`` reference below it replaced."""
    if _is_ref(node, 'DataSplit'):
        node = _resolve_split(node, cfg)
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _resolve_tree(node[key], cfg)
    elif isinstance(node, list):
        node[:] = [_resolve_tree(item, cfg) for item in node]
    return node


def _val_annotation_file(cfg: Config) -> Optional[str]:
    val = (cfg.get('data_splits') or {}).get('val') or {}
    ann_file = val.get('ann_file')
    if not ann_file:
        return None
    return ann_file if osp.isabs(ann_file) else osp.join(cfg.data_root, ann_file)


def _resolve_metric(metric: dict, cfg: Config) -> dict:
    if _is_ref(metric, 'DataMetric'):
        if not cfg.get('instance_metric'):
            raise KeyError("dict(type='DataMetric') needs the config's instance_metric")
        resolved = copy.deepcopy(dict(cfg.instance_metric))
        resolved.update({k: v for k, v in metric.items() if k != 'type'})
        metric = ConfigDict(resolved)
    if metric.get('type') in ('mmdet.CocoMetric', 'CocoMetric') and not metric.get('ann_file'):
        ann_file = _val_annotation_file(cfg)
        if ann_file is None or not ann_file.endswith('.json'):
            raise ValueError(f'CocoMetric scores against a COCO json; the val split reads '
                             f'{ann_file!r}. Give the metric an ann_file or a COCO-json val '
                             'split')
        metric['ann_file'] = ann_file
    return metric


def _set_num_classes(node: Any, num_classes: int) -> None:
    if isinstance(node, dict):
        if 'num_classes' in node:
            node['num_classes'] = num_classes
        for value in node.values():
            _set_num_classes(value, num_classes)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _set_num_classes(value, num_classes)


def apply_data_settings(cfg: Config) -> Config:
    """Fill a config's data references from its data settings, in place (idempotent).

    A config without top-level ``classes`` (a plain mmdet config) is returned unchanged.
    See the module docstring for the rules.
    """
    if cfg.get('classes') is None:
        return cfg
    if cfg.get('data_root') is None:
        raise KeyError('the config names its classes but no data_root')
    cfg.classes = tuple(cfg.classes)
    if not cfg.classes:
        raise ValueError('classes is empty: name the object classes of the data')
    check_classes(cfg.classes)
    for key in list(cfg.keys()):
        if key in DATA_SETTINGS:
            continue
        cfg[key] = _resolve_tree(cfg[key], cfg)
    for key in ('val_evaluator', 'test_evaluator'):
        evaluator = cfg.get(key)
        if isinstance(evaluator, dict) and 'metrics' in evaluator:  # an Evaluator config
            evaluator.metrics = [_resolve_metric(m, cfg) for m in evaluator.metrics]
        elif isinstance(evaluator, dict):
            cfg[key] = _resolve_metric(evaluator, cfg)
        elif isinstance(evaluator, list):
            cfg[key] = [_resolve_metric(m, cfg) for m in evaluator]
    cfg.num_classes = len(cfg.classes)
    for key in NUM_CLASSES_KEYS:
        if cfg.get(key) is not None:
            _set_num_classes(cfg[key], cfg.num_classes)
    return cfg


def load_config(path: str, cfg_options: Optional[Dict[str, Any]] = None) -> Config:
    """``Config.fromfile`` + ``--cfg-options`` + :func:`apply_data_settings`."""
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return apply_data_settings(cfg)


def data_settings_of(cfg: Config) -> Dict[str, Any]:
    """The data settings a config holds (a subset of :data:`DATA_SETTINGS`)."""
    return {key: copy.deepcopy(cfg[key]) for key in DATA_SETTINGS if key in cfg}


def check_classes(classes: Sequence[str]) -> None:
    """Refuse duplicated class names (they would merge two classes' labels)."""
    duplicated = sorted({c for c in classes if list(classes).count(c) > 1})
    if duplicated:
        raise ValueError(f'classes are listed twice: {duplicated}')
