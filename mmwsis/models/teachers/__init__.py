from .cam_classifier import CAMClassifier
from .irnet import IRNet

__all__ = ['CAMClassifier', 'IRNet']
