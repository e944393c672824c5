from .box_instances import BoxInstanceDataset
from .class_coverage_sampler import ClassCoverageSampler
from .coco import COCOInstanceDataset
from .mixed_ratio_sampler import MixedRatioSampler
from .pending import PendingImagesDataset
from .salient import SalientObjectDataset
from .transforms import (LoadPointAnnotations, LoadPseudoSegMap, LoadSaliencyMask,
                         PackWeakInputs)
from .voc import VOC_CLASSES, VOCInstanceDataset
from .weak_labels import SUPERVISION_LEVELS, interior_point, weaken_data_info

__all__ = [
    'BoxInstanceDataset', 'VOCInstanceDataset', 'COCOInstanceDataset', 'PackWeakInputs',
    'LoadPointAnnotations', 'LoadPseudoSegMap', 'LoadSaliencyMask', 'SalientObjectDataset',
    'PendingImagesDataset', 'ClassCoverageSampler', 'MixedRatioSampler',
    'VOC_CLASSES', 'SUPERVISION_LEVELS', 'weaken_data_info', 'interior_point'
]
