from .base import BaseLabeler
from .bestie import BESTIELabeler, PAMPointLabeler
from .box_matched import BoxMatchedLabeler
from .box_prior import BoxPriorLabeler
from .boxcaseg import BoxCasegLabeler
from .cim import CIMLabeler, PeakPointLabeler
from .fusion import FusionLabeler
from .irn import IRLabeler, IRNInstanceLabeler, IRNSemanticLabeler
from .liid import LIIDCutLabeler
from .teacher_outputs import as_numpy, resize_label_maps, teacher_frame

__all__ = [
    'BaseLabeler', 'BESTIELabeler', 'BoxCasegLabeler', 'BoxMatchedLabeler', 'BoxPriorLabeler',
    'PAMPointLabeler', 'CIMLabeler', 'FusionLabeler',
    'PeakPointLabeler', 'IRLabeler', 'IRNInstanceLabeler', 'IRNSemanticLabeler', 'LIIDCutLabeler',
    'as_numpy', 'resize_label_maps', 'teacher_frame'
]
