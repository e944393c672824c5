"""Procedural rendering of the synthetic instance-segmentation scenes.

A scene is a textured, cluttered background with 1-8 class objects painted in painter's
order (later objects occlude earlier ones, with a soft drop shadow). Each class has a
typical shape, hue and surface pattern, jittered per instance in scale, rotation, aspect,
colour and pattern. Ground truth follows PASCAL VOC: instance ids in painting order, and a
void band (255) on every object border, including borders between touching instances.
A salient image holds one class-agnostic object on the same kind of background.
"""
import colorsys
from dataclasses import dataclass
from functools import partial
from typing import Callable, List, Sequence, Tuple

import numpy as np
from scipy import ndimage

CLASSES = ('disc', 'square', 'triangle', 'star', 'ring', 'cross')
VOID = 255
MAX_INSTANCES = 8
MIN_IMAGE_SIZE = 32  # below this the smallest objects vanish under the void band

# Class-typical hue (degrees) and surface pattern.
_CLASS_HUES = {'disc': 0., 'star': 55., 'triangle': 120., 'cross': 180., 'square': 225.,
               'ring': 285.}
_CLASS_TEXTURES = {'disc': 'shade', 'square': 'checker', 'triangle': 'stripes',
                   'star': 'speckle', 'ring': 'bands', 'cross': 'dots'}
_TEXTURES = ('shade', 'checker', 'stripes', 'speckle', 'bands', 'dots', 'flat')
# Clutter uses only non-class shapes; salient objects use any shape.
_CLUTTER_SHAPES = ('blob', 'crescent', 'ellipse', 'lshape', 'bar')
_SALIENT_SHAPES = CLASSES + ('blob', 'crescent', 'ellipse', 'lshape', 'heart')
# P(K = 1..8) for the number of objects placed; tiny visible ones are dropped afterwards.
_COUNT_PROBS = np.array([8., 14., 17., 17., 14., 12., 10., 8.]) / 100.
_HUE_JITTER = 12.  # degrees
_STAR_POINTS = 5


@dataclass(frozen=True, eq=False)
class Scene:
    """One rendered scene and its VOC-style ground truth.

    Attributes:
        image: (H, W, 3) uint8 RGB image.
        instance_map: (H, W) uint8; 0 background, k for instance k (1-based, painting
            order), 255 void band.
        instance_labels: (K,) int64, 0-based class index of instance k+1.
        boxes: (K, 4) int64 ``x1, y1, x2, y2`` of each visible mask before the void band,
            half-open in pixels (``x2`` = last column + 1).
        touching: (P, 2) int64 pairs ``i < j`` of 1-based instance ids whose visible masks
            (before the void band) are 4-adjacent, so they would merge into one component.
    """

    image: np.ndarray
    instance_map: np.ndarray
    instance_labels: np.ndarray
    boxes: np.ndarray
    touching: np.ndarray


@dataclass(frozen=True)
class _Shape:
    """A shape in image space: ``kind`` of radius ``radius`` px, rotated by ``angle``."""

    kind: str
    cx: float
    cy: float
    radius: float
    angle: float
    aspect: float
    params: Tuple[float, ...]

    def frame(self, size: int, shift: Tuple[float, float] = (0., 0.)
              ) -> Tuple[np.ndarray, np.ndarray]:
        """Local coordinates ``(u, v)`` of every pixel centre, in units of the radius.

        Returns:
            two (size, size) float32 arrays.
        """
        coords = np.arange(size, dtype=np.float32) + 0.5
        dx = coords[None, :] - np.float32(self.cx + shift[0])
        dy = coords[:, None] - np.float32(self.cy + shift[1])
        c, s = np.float32(np.cos(self.angle)), np.float32(np.sin(self.angle))
        u = (c * dx + s * dy) / np.float32(self.radius)
        v = (c * dy - s * dx) / np.float32(self.radius * self.aspect)
        return u, v


def _sample_shape(rng: np.random.Generator, kind: str, cx: float, cy: float,
                  radius: float) -> _Shape:
    """Draw the jittered geometry (rotation, aspect, kind-specific parameters)."""
    aspect = rng.uniform(0.85, 1.15)
    params: Tuple[float, ...] = ()
    if kind == 'square':
        aspect = rng.uniform(0.8, 1.25)
    elif kind == 'ring':
        params = (rng.uniform(0.4, 0.55), )  # inner radius
    elif kind == 'star':
        params = (rng.uniform(0.4, 0.55), )  # inner vertex radius
    elif kind == 'cross':
        params = (rng.uniform(0.28, 0.38), )  # arm half-width
    elif kind == 'blob':
        params = tuple(rng.uniform(0.1, 0.22, 3)) + tuple(rng.uniform(0, 2 * np.pi, 3))
    elif kind == 'crescent':
        params = (rng.uniform(0.35, 0.55), rng.uniform(0.7, 0.9))  # bite offset, radius
    elif kind == 'ellipse':
        aspect = rng.uniform(0.3, 0.5)
    elif kind == 'bar':
        aspect = rng.uniform(0.08, 0.18)
    elif kind == 'lshape':
        params = (rng.uniform(0.3, 0.45), )  # arm half-width
    return _Shape(kind, cx, cy, radius, rng.uniform(0, 2 * np.pi), aspect, params)


def _shape_mask(shape: _Shape, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Inside test of ``shape`` in its local frame; ``u, v`` (H, W) -> (H, W) bool."""
    kind, p = shape.kind, shape.params
    rho2 = u * u + v * v
    if kind in ('disc', 'ellipse'):
        return rho2 <= 1
    if kind == 'ring':
        return (rho2 <= 1) & (rho2 >= p[0]**2)
    if kind == 'square':
        return np.maximum(np.abs(u), np.abs(v)) <= 0.85
    if kind == 'bar':
        return (np.abs(u) <= 1) & (np.abs(v) <= 1)
    if kind == 'triangle':
        # Equilateral, circumradius 1.15: three half-planes at distance 0.575.
        inside = np.ones(u.shape, bool)
        for beta in np.deg2rad([60., 180., 300.]):
            inside &= u * np.cos(beta) + v * np.sin(beta) <= 0.575
        return inside
    if kind == 'star':
        # Fold the angle into one half spike: outer vertex (1, 0), inner vertex at alpha.
        alpha = np.pi / _STAR_POINTS
        phi = np.abs(np.mod(np.arctan2(v, u) + alpha, 2 * alpha) - alpha)
        rho = np.sqrt(rho2)
        px, py = rho * np.cos(phi), rho * np.sin(phi)
        ex, ey = p[0] * np.cos(alpha) - 1, p[0] * np.sin(alpha)
        return ex * py - ey * (px - 1) >= 0
    if kind == 'cross':
        au, av = np.abs(u), np.abs(v)
        return ((au <= p[0]) & (av <= 0.95)) | ((av <= p[0]) & (au <= 0.95))
    if kind == 'blob':
        theta = np.arctan2(v, u)
        edge = 0.95 + sum(a * np.cos(k * theta + ph) for k, a, ph in zip((2, 3, 4), p[:3], p[3:]))
        return np.sqrt(rho2) <= edge
    if kind == 'crescent':
        return (rho2 <= 1) & ((u - p[0])**2 + v * v > p[1]**2)
    if kind == 'lshape':
        foot = (np.abs(u) <= 0.9) & (v <= 0.9) & (v >= 0.9 - 2 * p[0])
        leg = (u >= -0.9) & (u <= -0.9 + 2 * p[0]) & (np.abs(v) <= 0.9)
        return foot | leg
    if kind == 'heart':
        x, y = u, 0.1 - v
        return (x * x + y * y - 1)**3 - x * x * y**3 <= 0
    raise ValueError(f'unknown shape kind {kind!r}')


def _pattern(rng: np.random.Generator, texture: str, u: np.ndarray,
             v: np.ndarray) -> np.ndarray:
    """Weight of the secondary colour for pixels at local coords ``u, v`` (N,) -> (N,)."""
    if texture == 'shade':  # specular highlight of a lit sphere
        hx, hy = rng.uniform(-0.55, 0.1, 2)
        return np.exp(-((u - hx)**2 + (v - hy)**2) / 0.3)
    if texture == 'checker':
        k = rng.uniform(1.3, 2.2)
        return (np.floor(u * k + 8) + np.floor(v * k + 8)) % 2
    if texture == 'stripes':
        return 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(1.5, 2.5) * v + rng.uniform(0, 6.3))
    if texture == 'speckle':
        return (rng.random(u.shape) < 0.3).astype(np.float32)
    if texture == 'bands':
        rho = np.sqrt(u * u + v * v)
        return 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(2.5, 4.) * rho + rng.uniform(0, 6.3))
    if texture == 'dots':
        step = rng.uniform(0.45, 0.65)
        fu, fv = np.mod(u / step, 1) - 0.5, np.mod(v / step, 1) - 0.5
        return (fu * fu + fv * fv < 0.09).astype(np.float32)
    if texture == 'flat':
        return np.zeros(u.shape, np.float32)
    raise ValueError(f'unknown texture {texture!r}')


def _hsv(hue_deg: float, sat: float, val: float) -> np.ndarray:
    """RGB (3,) float in [0, 1] of an HSV colour, hue in degrees."""
    return np.array(colorsys.hsv_to_rgb((hue_deg % 360.) / 360., sat, val), np.float32)


def _paint(rng: np.random.Generator, canvas: np.ndarray, shape: _Shape, mask: np.ndarray,
           colour: np.ndarray, texture: str, shadow: Tuple[float, float, float]) -> None:
    """Paint ``shape`` (mask (H, W) bool) in place on ``canvas`` (H, W, 3) float.

    ``shadow`` is ``(dx, dy, strength)``: the shape's silhouette shifted by ``(dx, dy)``
    darkens what lies below first.
    """
    dx, dy, strength = shadow
    if strength > 0:
        su, sv = shape.frame(canvas.shape[0], (dx, dy))
        canvas[_shape_mask(shape, su, sv)] *= 1 - strength
    u, v = shape.frame(canvas.shape[0])
    u, v = u[mask], v[mask]
    if texture == 'shade' or rng.random() < 0.5:  # a sphere's highlight is always lighter
        second = colour + (1 - colour) * rng.uniform(0.35, 0.65)
    else:
        second = colour * rng.uniform(0.4, 0.65)
    w = (_pattern(rng, texture, u, v) * rng.uniform(0.55, 1.))[:, None]
    light_dir = rng.uniform(0, 2 * np.pi)
    light = 1 + rng.uniform(0, 0.18) * (u * np.cos(light_dir) + v * np.sin(light_dir))
    canvas[mask] = (colour * (1 - w) + second * w) * light[:, None]


def _smooth_noise(rng: np.random.Generator, size: int, cell: float) -> np.ndarray:
    """Cubic-spline value noise with feature size ``cell`` px, (size, size) in [0, 1]."""
    coarse = rng.standard_normal((int(np.ceil(size / cell)) + 2, ) * 2)
    t = np.arange(size) / cell + 0.5
    field = ndimage.map_coordinates(coarse, np.meshgrid(t, t, indexing='ij'), order=3,
                                    mode='nearest')
    return ((field - field.min()) / (np.ptp(field) + 1e-6)).astype(np.float32)


def _dull_colour(rng: np.random.Generator) -> np.ndarray:
    return _hsv(rng.uniform(0, 360), rng.uniform(0.05, 0.45), rng.uniform(0.3, 0.85))


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    """Smooth-noise colour mix with a gradient and optional stripes, (S, S, 3) float."""
    c1, c2, c3 = _dull_colour(rng), _dull_colour(rng), _dull_colour(rng)
    coarse = _smooth_noise(rng, size, size / rng.uniform(1.5, 3.5))[..., None]
    fine = _smooth_noise(rng, size, rng.uniform(4., 10.))[..., None]
    canvas = c1 * (1 - coarse) + c2 * coarse
    canvas = canvas * (1 - 0.4 * fine) + c3 * (0.4 * fine)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size - 0.5
    ga = rng.uniform(0, 2 * np.pi)
    canvas *= (1 + rng.uniform(0, 0.5) * (xx * np.cos(ga) + yy * np.sin(ga)))[..., None]
    if rng.random() < 0.5:
        sa, period = rng.uniform(0, np.pi), rng.uniform(5., 16.) / size
        phase = (xx * np.cos(sa) + yy * np.sin(sa)) / period
        stripes = np.sin(2 * np.pi * phase + rng.uniform(0, 6.3))
        canvas *= (1 + rng.uniform(0.04, 0.15) * stripes)[..., None]
    return canvas.astype(np.float32)


def _add_clutter(rng: np.random.Generator, canvas: np.ndarray, count: int) -> None:
    """Paint ``count`` small non-class distractor shapes (any hue) on ``canvas``."""
    size = canvas.shape[0]
    for _ in range(count):
        kind = _CLUTTER_SHAPES[rng.integers(len(_CLUTTER_SHAPES))]
        radius = size * (rng.uniform(0.05, 0.12) if kind == 'bar' else rng.uniform(0.025, 0.07))
        shape = _sample_shape(rng, kind, *rng.uniform(0, size, 2), radius)
        colour = _hsv(rng.uniform(0, 360), rng.uniform(0.2, 0.85), rng.uniform(0.25, 0.9))
        texture = ('flat', 'speckle', 'stripes')[rng.integers(3)]
        _paint(rng, canvas, shape, _shape_mask(shape, *shape.frame(size)), colour, texture,
               (0., 0., 0.))


def _finish(rng: np.random.Generator, canvas: np.ndarray) -> np.ndarray:
    """Mild blur and sensor noise; (H, W, 3) float -> (H, W, 3) uint8."""
    sigma = rng.uniform(0.35, 0.8)
    image = ndimage.gaussian_filter(canvas, (sigma, sigma, 0))
    image = image + rng.normal(0, rng.uniform(0.008, 0.025), image.shape)
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)


def _shadow(rng: np.random.Generator, size: int) -> Tuple[float, float, float]:
    """One light direction per image: shadow offset ``(dx, dy)`` px and strength."""
    angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(0.6, 1.6) * size / 100
    return dist * np.cos(angle), dist * np.sin(angle), rng.uniform(0.15, 0.35)


def _object_colour(rng: np.random.Generator, kind: str) -> np.ndarray:
    hue = _CLASS_HUES[kind] + rng.uniform(-_HUE_JITTER, _HUE_JITTER)
    return _hsv(hue, rng.uniform(0.5, 0.95), rng.uniform(0.5, 0.95))


def _sample_centre(rng: np.random.Generator, size: int, radius: float, label: int,
                   shapes: Sequence[_Shape], labels: Sequence[int]) -> Tuple[float, float]:
    """Centre of a new object: often next to (touching or overlapping) an earlier object,
    preferably one of the same class; otherwise a free spot."""
    lo, hi = 0.55 * radius, size - 0.55 * radius
    if shapes and rng.random() < 0.6:
        same = [s for s, lab in zip(shapes, labels) if lab == label]
        pool = same if same and rng.random() < 0.75 else list(shapes)
        anchor = pool[rng.integers(len(pool))]
        for _ in range(8):
            dist = (anchor.radius + radius) * rng.uniform(0.65, 1.0)
            theta = rng.uniform(0, 2 * np.pi)
            cx, cy = anchor.cx + dist * np.cos(theta), anchor.cy + dist * np.sin(theta)
            if lo <= cx <= hi and lo <= cy <= hi:
                return cx, cy
    for _ in range(8):
        cx, cy = rng.uniform(lo, hi, 2)
        if all(np.hypot(cx - s.cx, cy - s.cy) > 0.9 * (s.radius + radius) for s in shapes):
            break
    return cx, cy


def place_objects(rng: np.random.Generator, size: int, class_names: Sequence[str],
                  sample_shape: Callable[..., _Shape], count_probs: np.ndarray,
                  radius_range: Tuple[float, float], min_radius: float,
                  crowding: float) -> Tuple[List[_Shape], List[int]]:
    """Draw 1-8 objects (``count_probs[k]``: the chance of k + 1) from 1-3 classes of the
    image, so classes often repeat.

    Radii are fractions of ``size`` drawn from ``radius_range``, shrunk by
    ``1 / sqrt(1 + crowding * (count - 1))`` as objects crowd in, and never below
    ``min_radius``; ``sample_shape(rng, class_name, cx, cy, radius)`` draws each one.
    """
    count = int(rng.choice(MAX_INSTANCES, p=count_probs)) + 1
    num_classes = 1 if count == 1 else int(rng.integers(1, min(3, count) + 1))
    classes = rng.choice(len(class_names), num_classes, replace=False)
    shrink = 1 / np.sqrt(1 + crowding * (count - 1))
    shapes: List[_Shape] = []
    labels: List[int] = []
    for label in rng.choice(classes, count):
        radius = size * max(min_radius, rng.uniform(*radius_range) * shrink)
        centre = _sample_centre(rng, size, radius, int(label), shapes, labels)
        shapes.append(sample_shape(rng, class_names[label], *centre, radius))
        labels.append(int(label))
    return shapes, labels


def _border(label_map: np.ndarray) -> np.ndarray:
    """Pixels with a differently labelled 8-neighbour (a 2 px band across every border;
    the image edge is not a border), (H, W) -> (H, W) bool."""
    return (ndimage.maximum_filter(label_map, 3, mode='nearest')
            != ndimage.minimum_filter(label_map, 3, mode='nearest'))


def _resolve_visibility(masks: Sequence[np.ndarray], min_area: int
                        ) -> Tuple[List[int], np.ndarray, np.ndarray]:
    """Painter's-order visible map after dropping instances too small to annotate.

    An instance is dropped when its visible area is below ``min_area`` or fewer than
    ``min_area / 2`` of its pixels lie outside the void band. Dropping one only uncovers
    the others, so the loop ends after a few rounds.

    Returns:
        kept indices into ``masks``, the (H, W) uint8 visible map (0 background, k for
        the k-th kept instance) and the (H, W) bool void band.
    """
    kept = list(range(len(masks)))
    while True:
        visible = np.zeros(masks[0].shape, np.uint8)
        for k, i in enumerate(kept, 1):
            visible[masks[i]] = k
        void = _border(visible)
        area = np.bincount(visible.ravel(), minlength=len(kept) + 1)[1:]
        core = np.bincount(visible[~void], minlength=len(kept) + 1)[1:]
        small = (area < min_area) | (core < min_area / 2)
        if not small.any():
            return kept, visible, void
        kept = [i for i, drop in zip(kept, small) if not drop]


def _touching_pairs(visible: np.ndarray) -> np.ndarray:
    """(P, 2) int64 sorted id pairs of 4-adjacent different instances in (H, W) ``visible``."""
    a = np.concatenate([visible[:, :-1].ravel(), visible[:-1, :].ravel()]).astype(np.int64)
    b = np.concatenate([visible[:, 1:].ravel(), visible[1:, :].ravel()]).astype(np.int64)
    sel = (a != b) & (a > 0) & (b > 0)
    pairs = np.sort(np.stack([a[sel], b[sel]], axis=1), axis=1)
    return np.unique(pairs, axis=0).reshape(-1, 2)


def layout_objects(rng: np.random.Generator, image_size: int, place, shape_mask) -> tuple:
    """Place objects (``place(rng, size) -> (shapes, labels)``) until one stays visible.

    Returns:
        ``shapes``, ``labels``, their full ``masks``, the ``kept`` indices, the (H, W)
        ``visible`` map and the ``void`` band (see :func:`_resolve_visibility`).
    """
    if image_size < MIN_IMAGE_SIZE:
        raise ValueError(f'image_size must be >= {MIN_IMAGE_SIZE}, got {image_size}')
    min_area = max(16, int(0.004 * image_size**2))
    while True:
        shapes, labels = place(rng, image_size)
        masks = [shape_mask(s, *s.frame(image_size)) for s in shapes]
        kept, visible, void = _resolve_visibility(masks, min_area)
        if kept:
            return shapes, labels, masks, kept, visible, void


def scene_of(image: np.ndarray, labels: Sequence[int], kept: Sequence[int],
             visible: np.ndarray, void: np.ndarray) -> Scene:
    """The :class:`Scene` of a painted image and its layout."""
    boxes = [(sl[1].start, sl[0].start, sl[1].stop, sl[0].stop)
             for sl in ndimage.find_objects(visible)]
    return Scene(
        image=image,
        instance_map=np.where(void, np.uint8(VOID), visible),
        instance_labels=np.array([labels[i] for i in kept], np.int64),
        boxes=np.array(boxes, np.int64).reshape(-1, 4),
        touching=_touching_pairs(visible))


def render_scene(rng: np.random.Generator, image_size: int) -> Scene:
    """Render one cluttered multi-instance scene of ``image_size`` x ``image_size`` px."""
    place = partial(place_objects, class_names=CLASSES, sample_shape=_sample_shape,
                    count_probs=_COUNT_PROBS, radius_range=(0.09, 0.2), min_radius=0.075,
                    crowding=0.1)
    shapes, labels, masks, kept, visible, void = layout_objects(
        rng, image_size, place, _shape_mask)
    canvas = _background(rng, image_size)
    _add_clutter(rng, canvas, int(rng.integers(3, 11)))
    shadow = _shadow(rng, image_size)
    for i in kept:
        kind = shapes[i].kind
        _paint(rng, canvas, shapes[i], masks[i], _object_colour(rng, kind),
               _CLASS_TEXTURES[kind], shadow)
    return scene_of(_finish(rng, canvas), labels, kept, visible, void)


def render_salient(rng: np.random.Generator, image_size: int) -> Tuple[np.ndarray, np.ndarray]:
    """Render one class-agnostic salient object on a textured background.

    Returns:
        (H, W, 3) uint8 image and (H, W) bool object mask (no void band).
    """
    canvas = _background(rng, image_size)
    _add_clutter(rng, canvas, int(rng.integers(1, 6)))
    kind = _SALIENT_SHAPES[rng.integers(len(_SALIENT_SHAPES))]
    centre = rng.uniform(0.38, 0.62, 2) * image_size
    shape = _sample_shape(rng, kind, *centre, rng.uniform(0.2, 0.34) * image_size)
    mask = _shape_mask(shape, *shape.frame(image_size))
    colour = _hsv(rng.uniform(0, 360), rng.uniform(0.45, 0.95), rng.uniform(0.45, 0.95))
    texture = _TEXTURES[rng.integers(len(_TEXTURES))]
    _paint(rng, canvas, shape, mask, colour, texture, _shadow(rng, image_size))
    return _finish(rng, canvas), mask
