from .instance_overlay import overlay_instances, titled_row

__all__ = ['overlay_instances', 'titled_row']
