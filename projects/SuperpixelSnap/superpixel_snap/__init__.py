"""SuperpixelSnap: pseudo masks snapped to graph superpixels, an mmwsis labeler from outside
the package (loaded with ``custom_imports``)."""
from .labeler import SuperpixelSnapLabeler
from .snap import (graph_superpixels, median_mask_area, segmentation_scale, snap_masks,
                   snap_to_superpixels)

__all__ = ['SuperpixelSnapLabeler', 'graph_superpixels', 'median_mask_area',
           'segmentation_scale', 'snap_masks', 'snap_to_superpixels']
