from .collector import PseudoLabelCollector
from .labelers import (BaseLabeler, IRLabeler, IRNInstanceLabeler, IRNSemanticLabeler,
                       LIIDCutLabeler)
from .lazy_results import LazyResults
from .result import PseudoLabel
from .runtime import pseudo_label_loop_cfgs, pseudo_label_out_dir
from .writers import InstanceJsonWriter, SemanticPngWriter

__all__ = [
    'PseudoLabelCollector', 'BaseLabeler', 'PseudoLabel', 'LazyResults', 'IRLabeler',
    'IRNInstanceLabeler', 'IRNSemanticLabeler', 'LIIDCutLabeler', 'InstanceJsonWriter',
    'SemanticPngWriter', 'pseudo_label_loop_cfgs', 'pseudo_label_out_dir'
]
