from .collector import PseudoLabelCollector
from .labelers import (BaseLabeler, BESTIELabeler, BoxCasegLabeler, BoxMatchedLabeler,
                       BoxPriorLabeler, CIMLabeler, IRLabeler, IRNInstanceLabeler,
                       FusionLabeler, IRNSemanticLabeler, LIIDCutLabeler, PAMPointLabeler,
                       PeakPointLabeler)
from .lazy_results import LazyResults
from .pseudo_json import pseudo_instances
from .result import PseudoLabel
from .runtime import pseudo_label_loop_cfgs, pseudo_label_out_dir, reference_dataset_cfg
from .writers import InstanceJsonWriter, PointJsonWriter, SemanticPngWriter

__all__ = [
    'PseudoLabelCollector', 'BaseLabeler', 'PseudoLabel', 'LazyResults', 'BESTIELabeler',
    'BoxCasegLabeler', 'BoxMatchedLabeler', 'BoxPriorLabeler', 'FusionLabeler',
    'PAMPointLabeler', 'CIMLabeler',
    'IRLabeler', 'IRNInstanceLabeler', 'IRNSemanticLabeler', 'LIIDCutLabeler',
    'PeakPointLabeler', 'InstanceJsonWriter', 'PointJsonWriter', 'SemanticPngWriter',
    'pseudo_instances', 'pseudo_label_loop_cfgs', 'pseudo_label_out_dir',
    'reference_dataset_cfg'
]
