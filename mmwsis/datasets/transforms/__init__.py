from .formatting import LoadPointAnnotations, PackWeakInputs
from .loading import LoadInstanceScores, LoadPseudoSegMap
from .proposals import LoadProposals

__all__ = [
    'PackWeakInputs', 'LoadPointAnnotations', 'LoadPseudoSegMap', 'LoadInstanceScores',
    'LoadProposals'
]
