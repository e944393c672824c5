"""The one result type every pseudo-labeler returns for an image, validated once."""
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmwsis.evaluation.functional import encode_masks

Masks = Union[np.ndarray, Sequence[dict]]


def _normalise_rles(masks: Masks) -> List[dict]:
    """(M, H, W) dense masks or M RLEs -> M RLEs with ``bytes`` counts."""
    if isinstance(masks, np.ndarray):
        if masks.ndim != 3:
            raise ValueError(f'dense masks must be (M, H, W), got shape {masks.shape}')
        return encode_masks(masks.astype(bool, copy=False))
    rles = []
    for rle in masks:
        counts = rle['counts']
        rles.append(dict(size=[int(s) for s in rle['size']],
                         counts=counts.encode('ascii') if isinstance(counts, str) else counts))
    return rles


@dataclass
class PseudoLabel:
    """One image's pseudo label: what ``per_image`` and ``finalize`` return, and the cache keeps.

    Build it with :meth:`instances` or :meth:`semantic`; both validate and normalise once,
    so writers and dataset-level steps can rely on the form:

    - ``masks``: M compressed RLEs ``{'size': [H, W], 'counts': bytes}`` (dense (M, H, W)
      masks are encoded on the way in), ``labels`` (M,) int64 0-based class ids,
      ``scores`` (M,) float64;
    - ``label_map``: (H, W) uint8 for semantic outputs (0 background, c+1 class c, 255
      ignore), else ``None``;
    - ``points``: (M, 2) float64 ``x, y`` pixels for point outputs (with ``labels`` and
      ``scores``; no masks), else ``None``;
    - ``payload``: whatever a dataset-level ``finalize`` needs of this image (arrays,
      RLEs); a dataset-level labeler may leave the instances empty until then.
    """

    masks: List[dict] = field(default_factory=list)
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    label_map: Optional[np.ndarray] = None
    points: Optional[np.ndarray] = None
    payload: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def instances(cls, masks: Masks, labels: Sequence[int], scores: Sequence[float],
                  image_size: Optional[Tuple[int, int]] = None,
                  payload: Optional[Dict[str, Any]] = None) -> 'PseudoLabel':
        """Instance pseudo labels; ``image_size`` (H, W), when given, is checked."""
        rles = _normalise_rles(masks)
        labels = np.asarray(labels, dtype=np.int64).reshape(-1)
        scores = np.asarray(scores, dtype=np.float64).reshape(-1)
        if not len(rles) == len(labels) == len(scores):
            raise ValueError(f'{len(rles)} masks, {len(labels)} labels and {len(scores)} '
                             'scores: one of each per instance')
        if (labels < 0).any():
            raise ValueError(f'labels are 0-based class ids, got {labels.tolist()}')
        sizes = {tuple(rle['size']) for rle in rles}
        if image_size is not None:
            sizes.add(tuple(int(s) for s in image_size))
        if len(sizes) > 1:
            raise ValueError(f'masks of one image must share its size, got {sorted(sizes)}')
        return cls(masks=rles, labels=labels, scores=scores, payload=dict(payload or {}))

    @classmethod
    def semantic(cls, label_map: np.ndarray) -> 'PseudoLabel':
        """A semantic pseudo label map (H, W) of integers in 0..255."""
        label_map = np.asarray(label_map)
        if label_map.ndim != 2:
            raise ValueError(f'a label map is (H, W), got shape {label_map.shape}')
        if label_map.size and (label_map.min() < 0 or label_map.max() > 255):
            raise ValueError('label map values must lie in 0..255')
        return cls(label_map=label_map.astype(np.uint8, copy=False))

    @classmethod
    def point_set(cls, points: np.ndarray, labels: Sequence[int],
                  scores: Sequence[float]) -> 'PseudoLabel':
        """Point pseudo labels: (M, 2) ``x, y`` pixels with a class and a score each."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        labels = np.asarray(labels, dtype=np.int64).reshape(-1)
        scores = np.asarray(scores, dtype=np.float64).reshape(-1)
        if not len(points) == len(labels) == len(scores):
            raise ValueError(f'{len(points)} points, {len(labels)} labels and {len(scores)} '
                             'scores: one of each per point')
        if (labels < 0).any():
            raise ValueError(f'labels are 0-based class ids, got {labels.tolist()}')
        return cls(labels=labels, scores=scores, points=points)

    def __len__(self) -> int:
        return len(self.points) if self.points is not None else len(self.masks)

    def to_dict(self) -> dict:
        """Plain containers only (what the on-disk cache pickles)."""
        return dict(masks=self.masks, labels=self.labels, scores=self.scores,
                    label_map=self.label_map, points=self.points, payload=self.payload)

    @classmethod
    def from_dict(cls, data: dict) -> 'PseudoLabel':
        """Inverse of :meth:`to_dict`; refuses what it did not write."""
        expected = {'masks', 'labels', 'scores', 'label_map', 'points', 'payload'}
        if isinstance(data, dict) and set(data) == expected - {'points'}:
            data = dict(data, points=None)  # written before point outputs existed
        if not isinstance(data, dict) or set(data) != expected:
            found = sorted(data) if isinstance(data, dict) else type(data).__name__
            raise ValueError(f'not a cached PseudoLabel (found {found}); the cache was '
                             'written by another mmwsis version: delete its folder and rerun')
        return cls(**data)
