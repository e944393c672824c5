from .base import BaseLabeler
from .irn import IRLabeler, IRNInstanceLabeler, IRNSemanticLabeler
from .liid import LIIDCutLabeler
from .teacher_outputs import as_numpy, resize_label_maps, teacher_frame

__all__ = [
    'BaseLabeler', 'IRLabeler', 'IRNInstanceLabeler', 'IRNSemanticLabeler', 'LIIDCutLabeler',
    'as_numpy', 'resize_label_maps', 'teacher_frame'
]
