"""Pictures of a teacher's dense outputs: activation maps, displacement fields, label maps."""
import cv2
import numpy as np

from .instance_overlay import PALETTE


def heatmap(values: np.ndarray, size=None) -> np.ndarray:
    """(h, w) values in [0, 1] -> (H, W, 3) uint8 RGB (OpenCV's JET), resized to ``size``."""
    image = cv2.applyColorMap(np.uint8(np.clip(values, 0, 1) * 255), cv2.COLORMAP_JET)[..., ::-1]
    return _resize(image, size)


def flow_picture(displacement: np.ndarray, size=None) -> np.ndarray:
    """(2, h, w) ``(dy, dx)`` field -> RGB: hue is the direction, brightness the length
    (relative to the longest), so each instance shows as a colour wheel round its centre."""
    dy, dx = displacement
    magnitude = np.hypot(dx, dy)
    hsv = np.zeros((*dy.shape, 3), np.uint8)
    hsv[..., 0] = (np.degrees(np.arctan2(dy, dx)) % 360 / 2).astype(np.uint8)
    hsv[..., 1] = 255
    hsv[..., 2] = np.uint8(255 * magnitude / max(float(magnitude.max()), 1e-6))
    return _resize(cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB), size)


def label_picture(label_map: np.ndarray, size=None) -> np.ndarray:
    """(h, w) integer labels -> RGB, one palette colour per label (0 black)."""
    image = np.zeros((*label_map.shape, 3), np.uint8)
    for value in np.unique(label_map):
        if value > 0:
            image[label_map == value] = PALETTE[(int(value) - 1) % len(PALETTE)]
    return _resize(image, size)


def _resize(image: np.ndarray, size) -> np.ndarray:
    if size is None or image.shape[:2] == tuple(size):
        return image
    return cv2.resize(image, tuple(size)[::-1], interpolation=cv2.INTER_NEAREST)
