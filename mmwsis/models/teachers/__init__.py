from .cam_classifier import CAMClassifier
from .irnet import IRNet
from .mil_proposal_net import MILProposalNet

__all__ = ['CAMClassifier', 'IRNet', 'MILProposalNet']
