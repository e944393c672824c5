"""Box-to-mask baselines that learn nothing: the filled box, and GrabCut inside the box.

They are the two rows every box-supervised paper compares with (Khoreva et al., "Simple
Does It", CVPR 2017: the filled box, and GrabCut initialised by the box). Each gives one
full-image mask per GT box; :func:`~mmwsis.pseudo.merge_proxy_masks` then makes an image's
masks disjoint and scores them exactly as it does BoxCaseg's proxy masks, so that the
three differ only in how a box becomes a mask. Boxes are mmdet's ``(x1, y1, x2, y2)``
pixel edges, windowed by :func:`~mmwsis.pseudo.box_pixels`.
"""
from typing import Tuple

import cv2
import numpy as np

from .boxcaseg_proxy import box_pixels


def filled_box_mask(box: np.ndarray, image_size: Tuple[int, int]) -> np.ndarray:
    """(H, W) bool mask of every pixel in the box's window."""
    x1, y1, x2, y2 = box_pixels(box, image_size)
    mask = np.zeros(image_size, bool)
    mask[y1:y2, x1:x2] = True
    return mask


def grabcut_box_mask(image: np.ndarray, box: np.ndarray, iterations: int = 5,
                     seed: int = 0) -> np.ndarray:
    """(H, W) bool foreground of OpenCV's GrabCut initialised with the box.

    The pixels outside the box are sure background, those inside probable foreground;
    ``iterations`` rounds of colour-GMM fitting and graph cut (OpenCV's sample uses 5)
    keep the probable and sure foreground. GrabCut needs background samples, so a box
    that covers the whole image, and a box whose cut comes out empty, give the filled box.

    Args:
        image: (H, W, 3) uint8 image (channel order is immaterial to the colour models).
        box: (4,) ``x1, y1, x2, y2``.
        iterations: GrabCut rounds.
        seed: OpenCV's random state for the GMMs' k-means start, set before each call,
            so that the same image and box give the same mask.
    """
    image = np.ascontiguousarray(image, dtype=np.uint8)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f'GrabCut needs an (H, W, 3) uint8 image, got {image.shape}')
    size = image.shape[:2]
    x1, y1, x2, y2 = box_pixels(box, size)
    if (x2 - x1) * (y2 - y1) == size[0] * size[1]:
        return filled_box_mask(box, size)
    labels = np.zeros(size, np.uint8)
    cv2.setRNGSeed(seed)
    cv2.grabCut(image, labels, (x1, y1, x2 - x1, y2 - y1), np.zeros((1, 65), np.float64),
                np.zeros((1, 65), np.float64), iterations, cv2.GC_INIT_WITH_RECT)
    mask = (labels == cv2.GC_FGD) | (labels == cv2.GC_PR_FGD)
    return mask if mask.any() else filled_box_mask(box, size)
