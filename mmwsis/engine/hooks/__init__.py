from .pseudo_label_hook import PseudoLabelHook, label_with

__all__ = ['PseudoLabelHook', 'label_with']
