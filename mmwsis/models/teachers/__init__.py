from .bestie_net import BESTIE
from .box_prior import BoxPrior
from .boxcaseg_net import BoxCaseg
from .cam_classifier import CAMClassifier
from .cim_net import CIMNet
from .irnet import IRNet
from .mil_proposal_net import MILProposalNet
from .pass_through import PassThrough
from .pam_classifier import PAMClassifier, PeakAttention
from .peak_response_net import PeakResponseNet

__all__ = [
    'BESTIE', 'BoxCaseg', 'BoxPrior', 'CAMClassifier', 'CIMNet', 'IRNet', 'MILProposalNet',
    'PAMClassifier', 'PassThrough',
    'PeakAttention', 'PeakResponseNet'
]
