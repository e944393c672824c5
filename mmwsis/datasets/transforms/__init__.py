from .box_crop import JitteredBoxCrop
from .cim_inputs import AssignProposalClusters, LoadProposalsWithRelations
from .formatting import LoadPointAnnotations, PackWeakInputs
from .loading import LoadInstanceScores, LoadPseudoSegMap, LoadSaliencyMask
from .projected_points import LoadProjectedPoints, project_points
from .proposals import LoadProposals

__all__ = [
    'JitteredBoxCrop', 'AssignProposalClusters', 'LoadProposalsWithRelations',
    'PackWeakInputs', 'LoadPointAnnotations', 'LoadPseudoSegMap', 'LoadSaliencyMask',
    'LoadInstanceScores',
    'LoadProposals', 'LoadProjectedPoints', 'project_points'
]
