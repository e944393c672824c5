"""The built-in synthetic shapes dataset: scene rendering and the VOC/COCO writer."""
from .scene import CLASSES, VOID, Scene, render_salient, render_scene
from .writer import GENERATOR_VERSION, SceneRecord, voc_palette, write_synthetic_dataset

__all__ = [
    'CLASSES', 'VOID', 'Scene', 'render_scene', 'render_salient', 'GENERATOR_VERSION',
    'SceneRecord', 'voc_palette', 'write_synthetic_dataset'
]
