from .cam_classifier import CAMClassifier
from .cim_net import CIMNet
from .irnet import IRNet
from .mil_proposal_net import MILProposalNet
from .peak_response_net import PeakResponseNet

__all__ = ['CAMClassifier', 'CIMNet', 'IRNet', 'MILProposalNet', 'PeakResponseNet']
