"""The built-in synthetic data (shapes and photographic scenes) and the VOC/COCO writer."""
from .photo_scene import PHOTO_CLASSES, render_photo_salient, render_photo_scene
from .scene import CLASSES, VOID, Scene, render_salient, render_scene
from .writer import GENERATOR_VERSION, KINDS, SceneRecord, voc_palette, write_synthetic_dataset

__all__ = [
    'CLASSES', 'PHOTO_CLASSES', 'VOID', 'Scene', 'render_scene', 'render_salient',
    'render_photo_scene', 'render_photo_salient', 'GENERATOR_VERSION', 'KINDS', 'SceneRecord',
    'voc_palette', 'write_synthetic_dataset'
]
