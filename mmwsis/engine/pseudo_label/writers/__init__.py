"""One writer per output kind of a labeler (``BaseLabeler.output``)."""
from .instance_json import InstanceJsonWriter
from .semantic_png import SemanticPngWriter

__all__ = ['InstanceJsonWriter', 'SemanticPngWriter']
