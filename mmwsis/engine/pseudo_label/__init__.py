from .collector import PseudoLabelCollector, filter_instances
from .labelers import IRLabeler, IRNInstanceLabeler, IRNSemanticLabeler, PerImageLabeler
from .liid_labeler import LIIDCutLabeler
from .runtime import pseudo_label_loop_cfgs, pseudo_label_out_dir

__all__ = [
    'PseudoLabelCollector', 'filter_instances', 'PerImageLabeler',
    'IRLabeler', 'IRNInstanceLabeler', 'IRNSemanticLabeler', 'LIIDCutLabeler',
    'pseudo_label_loop_cfgs', 'pseudo_label_out_dir'
]
