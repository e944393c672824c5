from .instance_overlay import overlay_instances, titled_row
from .teacher_maps import flow_picture, heatmap, label_picture

__all__ = ['overlay_instances', 'titled_row', 'heatmap', 'flow_picture', 'label_picture']
