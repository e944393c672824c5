"""One writer per output kind of a labeler (``BaseLabeler.output``)."""
from .instance_json import InstanceJsonWriter
from .point_json import PointJsonWriter
from .semantic_png import SemanticPngWriter

__all__ = ['InstanceJsonWriter', 'PointJsonWriter', 'SemanticPngWriter']
