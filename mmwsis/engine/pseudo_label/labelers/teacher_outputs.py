"""Reading a teacher's predicted sample: tensors as arrays, and the frame it worked in."""
from typing import Tuple

import cv2
import numpy as np


def as_numpy(value) -> np.ndarray:
    """A tensor (any device) or array-like as a numpy array."""
    return value.detach().cpu().numpy() if hasattr(value, 'detach') else np.asarray(value)


def teacher_frame(sample: dict) -> Tuple[Tuple[int, int], Tuple[int, int]]:
    """(size the teacher worked at, original size): they differ by ``teacher_scale``."""
    height, width = sample['ori_shape']
    scale = sample.get('teacher_scale', 1.0)
    return (round(height * scale), round(width * scale)), (height, width)


def resize_label_maps(maps: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """(N, h, w) integer/bool maps -> (N, H, W) by nearest neighbour."""
    if maps.shape[1:] == tuple(size):
        return maps
    resized = [cv2.resize(m.astype(np.uint8), size[::-1], interpolation=cv2.INTER_NEAREST)
               for m in maps]
    return np.array(resized, dtype=maps.dtype).reshape(len(maps), *size)
