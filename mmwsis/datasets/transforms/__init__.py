from .formatting import LoadPointAnnotations, PackWeakInputs
from .loading import LoadInstanceScores, LoadPseudoSegMap

__all__ = ['PackWeakInputs', 'LoadPointAnnotations', 'LoadPseudoSegMap', 'LoadInstanceScores']
