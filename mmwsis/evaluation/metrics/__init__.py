from .cam_miou import CAMMIoUMetric
from .instance_map import InstanceMAPMetric

__all__ = ['InstanceMAPMetric', 'CAMMIoUMetric']
