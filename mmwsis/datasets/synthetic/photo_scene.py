"""Photographic scenes: silhouettes cut from real photographs, on real photographs.

The ``photo`` preset of the synthetic data, built to resemble what users bring: every
background and every object surface is a random crop of one of scikit-image's bundled
photographs (``skimage.data``: portraits, a cat, coffee, a motorcycle, tissue, bricks,
grass, gravel, coins, the moon, a page of text, ...), scaled, rotated, tinted and lit at
random. A class is a silhouette and nothing else: any class can wear any photograph, and
five pairs of classes have similar silhouettes (disc / oval, square / rectangle, triangle /
arrowhead, ring / crescent, cross / tee). Objects span 1/6 to 1/2 of the image, occlude
each other, and objects of one class often touch. Ground truth follows PASCAL VOC as in
:mod:`.scene` (instance ids in painting order, a void band on every object border).
"""
import os.path as osp
from functools import lru_cache, partial
from typing import Tuple

import numpy as np
import skimage.data
import skimage.io
from scipy import ndimage

from .scene import (Scene, _sample_shape, _shadow, _Shape, _shape_mask, layout_objects,
                    place_objects, scene_of)

PHOTO_CLASSES = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
                 'crescent', 'cross', 'tee')
# PNG files bundled inside scikit-image (no download; PNG decodes byte-identically).
_PHOTOS = ('astronaut.png', 'chelsea.png', 'coffee.png', 'ihc.png', 'motorcycle_left.png',
           'motorcycle_right.png', 'brick.png', 'camera.png', 'coins.png', 'grass.png',
           'gravel.png', 'moon.png', 'page.png', 'text.png', 'cell.png', 'clock_motion.png')
_CLUTTER_SHAPES = ('blob', 'lshape', 'bar', 'heart')
# P(K = 1..8) for the number of objects placed (large objects: fewer per image).
_COUNT_PROBS = np.array([22., 26., 22., 14., 8., 4., 2., 2.]) / 100.


@lru_cache(maxsize=None)
def _photo(name: str) -> np.ndarray:
    """A bundled photograph as (H, W, 3) float32 RGB in [0, 1] (grey ones replicated)."""
    path = osp.join(osp.dirname(skimage.data.__file__), name)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} is missing: the photo preset needs the photographs '
                                'that scikit-image bundles (pip install scikit-image)')
    image = np.asarray(skimage.io.imread(path), dtype=np.float32)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    image = image[..., :3]
    return image / (255. if image.max() > 1 else 1.)


def _photo_patch(rng: np.random.Generator, size: int, zoom: Tuple[float, float],
                 photo_index: int) -> np.ndarray:
    """A random crop of photograph ``photo_index``, rotated, scaled by ``zoom`` (output px
    per photo px), tinted and contrast-jittered: (size, size, 3) float32."""
    photo = _photo(_PHOTOS[photo_index])
    h, w = photo.shape[:2]
    scale = rng.uniform(*zoom)
    angle = rng.uniform(0, 2 * np.pi)
    c, s = np.cos(angle), np.sin(angle)
    centre = np.array([rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w])
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) - size / 2
    rows = centre[0] + (c * yy - s * xx) / scale
    cols = centre[1] + (s * yy + c * xx) / scale
    patch = np.stack([ndimage.map_coordinates(photo[..., k], [rows, cols], order=1,
                                              mode='mirror') for k in range(3)], axis=-1)
    grey = patch.mean(axis=2, keepdims=True)
    saturation = rng.uniform(0.3, 1.3)
    patch = grey + saturation * (patch - grey)
    tint = rng.uniform(0.6, 1.25, 3).astype(np.float32)
    contrast, brightness = rng.uniform(0.7, 1.3), rng.uniform(-0.15, 0.15)
    patch = (patch - 0.5) * contrast + 0.5 + brightness
    return np.clip(patch * tint, 0, 1).astype(np.float32)


def _sample_photo_shape(rng: np.random.Generator, kind: str, cx: float, cy: float,
                        radius: float) -> _Shape:
    """The geometry of a class silhouette (see the module docstring)."""
    if kind in ('disc', 'square', 'triangle', 'ring', 'cross', 'crescent'):
        shape = _sample_shape(rng, kind, cx, cy, radius)
        if kind == 'square':  # squares stay square; rectangles are the elongated ones
            shape = _Shape(kind, cx, cy, radius, shape.angle, rng.uniform(0.9, 1.1), ())
        return shape
    angle = rng.uniform(0, 2 * np.pi)
    if kind == 'oval':
        return _Shape('ellipse', cx, cy, radius, angle, rng.uniform(0.5, 0.68), ())
    if kind == 'rectangle':
        return _Shape('square', cx, cy, radius, angle, rng.uniform(0.45, 0.62), ())
    if kind == 'arrowhead':
        return _Shape('arrowhead', cx, cy, radius, angle, rng.uniform(0.9, 1.1),
                      (rng.uniform(0.35, 0.55), ))  # depth of the notch
    if kind == 'tee':
        return _Shape('tee', cx, cy, radius, angle, rng.uniform(0.9, 1.1),
                      (rng.uniform(0.26, 0.36), ))  # half-width of the bar and stem
    raise ValueError(f'unknown photo class {kind!r}')


def _photo_shape_mask(shape: _Shape, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Inside test, with the two silhouettes the shapes preset does not have."""
    if shape.kind == 'arrowhead':
        inside = np.ones(u.shape, bool)
        for beta in np.deg2rad([60., 180., 300.]):  # the triangle of the shapes preset
            inside &= u * np.cos(beta) + v * np.sin(beta) <= 0.575
        # a chevron: a wedge cut from the middle of the base (u = -0.575) towards the apex
        apex = -0.575 + shape.params[0] * 1.725
        return inside & ~((u < apex) & (np.abs(v) < (apex - u) * 0.9))
    if shape.kind == 'tee':
        half = shape.params[0]
        bar = (np.abs(u) <= 0.95) & (v >= 0.95 - 2 * half) & (v <= 0.95)
        stem = (np.abs(u) <= half) & (v >= -0.95) & (v <= 0.95)
        return bar | stem
    return _shape_mask(shape, u, v)


def _other_photo(rng: np.random.Generator, background: int) -> int:
    """Any photograph but the background's, so an object is not camouflaged in it."""
    index = int(rng.integers(len(_PHOTOS) - 1))
    return index + (index >= background)


def _paint_photo(rng: np.random.Generator, canvas: np.ndarray, shape: _Shape,
                 mask: np.ndarray, shadow: Tuple[float, float, float], background: int) -> None:
    """Fill ``mask`` with a photograph (not the background's ``background``), lit from
    one side, over a drop shadow."""
    size = canvas.shape[0]
    dx, dy, strength = shadow
    if strength > 0:
        su, sv = shape.frame(size, (dx, dy))
        canvas[_photo_shape_mask(shape, su, sv)] *= 1 - strength
    patch = _photo_patch(rng, size, (1.0, 3.0), _other_photo(rng, background))
    u, v = shape.frame(size)
    light_dir = rng.uniform(0, 2 * np.pi)
    light = 1 + rng.uniform(0.05, 0.3) * (u * np.cos(light_dir) + v * np.sin(light_dir))
    canvas[mask] = patch[mask] * light[mask][:, None]


def _photo_background(rng: np.random.Generator, size: int) -> Tuple[np.ndarray, int]:
    """A photograph as the background (S, S, 3) float32, and which one it is; in 40 % of
    the images a second one is blended in."""
    index = int(rng.integers(len(_PHOTOS)))
    canvas = _photo_patch(rng, size, (0.4, 1.6), index)
    if rng.random() < 0.4:
        blend = ndimage.gaussian_filter(rng.random((size, size)).astype(np.float32), size / 6)
        blend = ((blend - blend.min()) / (np.ptp(blend) + 1e-6))[..., None]
        second = _photo_patch(rng, size, (0.4, 1.6), _other_photo(rng, index))
        canvas = canvas * (1 - blend) + second * blend
    return canvas, index


def _add_photo_clutter(rng: np.random.Generator, canvas: np.ndarray, count: int,
                       background: int) -> None:
    """Non-class shapes cut from photographs, as the objects are."""
    size = canvas.shape[0]
    for _ in range(count):
        kind = _CLUTTER_SHAPES[rng.integers(len(_CLUTTER_SHAPES))]
        shape = _sample_shape(rng, kind, *rng.uniform(0, size, 2),
                              size * rng.uniform(0.04, 0.12))
        _paint_photo(rng, canvas, shape, _shape_mask(shape, *shape.frame(size)),
                     (0., 0., 0.), background)


def _finish(rng: np.random.Generator, canvas: np.ndarray) -> np.ndarray:
    sigma = rng.uniform(0.3, 0.7)
    image = ndimage.gaussian_filter(canvas, (sigma, sigma, 0))
    image = image + rng.normal(0, rng.uniform(0.005, 0.02), image.shape)
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)


def render_photo_scene(rng: np.random.Generator, image_size: int) -> Scene:
    """Render one photographic scene of ``image_size`` x ``image_size`` px."""
    # Radii 1/12 to 1/4 of the image: objects span about 1/6 to 1/2 of it.
    place = partial(place_objects, class_names=PHOTO_CLASSES, sample_shape=_sample_photo_shape,
                    count_probs=_COUNT_PROBS, radius_range=(1 / 12, 1 / 4), min_radius=1 / 12,
                    crowding=0.08)
    shapes, labels, masks, kept, visible, void = layout_objects(
        rng, image_size, place, _photo_shape_mask)
    canvas, background = _photo_background(rng, image_size)
    _add_photo_clutter(rng, canvas, int(rng.integers(0, 4)), background)
    shadow = _shadow(rng, image_size)
    for i in kept:
        _paint_photo(rng, canvas, shapes[i], masks[i], shadow, background)
    return scene_of(_finish(rng, canvas), labels, kept, visible, void)


def render_photo_salient(rng: np.random.Generator,
                         image_size: int) -> Tuple[np.ndarray, np.ndarray]:
    """One class-agnostic salient object cut from a photograph, on a photograph.

    Returns:
        (H, W, 3) uint8 image and (H, W) bool object mask (no void band).
    """
    canvas, background = _photo_background(rng, image_size)
    _add_photo_clutter(rng, canvas, int(rng.integers(0, 3)), background)
    kind = (PHOTO_CLASSES + _CLUTTER_SHAPES)[rng.integers(len(PHOTO_CLASSES) + 4)]
    centre = rng.uniform(0.38, 0.62, 2) * image_size
    radius = rng.uniform(0.2, 0.34) * image_size
    shape = (_sample_photo_shape(rng, kind, *centre, radius) if kind in PHOTO_CLASSES
             else _sample_shape(rng, kind, *centre, radius))
    mask = _photo_shape_mask(shape, *shape.frame(image_size))
    _paint_photo(rng, canvas, shape, mask, _shadow(rng, image_size), background)
    return _finish(rng, canvas), mask
