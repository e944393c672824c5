"""IRNet's inter-pixel relation labels: confident foreground, confident background, ignore."""
from typing import Optional, Sequence

import numpy as np

IGNORE = 255


def dense_crf_labels(image: np.ndarray, labels: np.ndarray, num_labels: int,
                     gt_prob: float = 0.7, iterations: int = 10) -> np.ndarray:
    """Refine a label map with a fully-connected CRF (pydensecrf2).

    Unary from the labels (confidence ``gt_prob``), Gaussian kernel (sxy 3, compat 3),
    bilateral kernel (sxy 50, srgb 5, compat 10): the settings IRNet uses.

    Args:
        image: (H, W, 3) uint8 RGB.
        labels: (H, W) int in [0, num_labels).

    Returns:
        (H, W) int64 refined labels.
    """
    try:
        import pydensecrf.densecrf as dcrf
        from pydensecrf.utils import unary_from_labels
    except ImportError as err:
        raise ImportError('dense-CRF refinement needs `pip install pydensecrf2`; or set '
                          "refine='grabcut' in the IR labeler config") from err
    height, width = labels.shape
    crf = dcrf.DenseCRF2D(width, height, num_labels)
    crf.setUnaryEnergy(unary_from_labels(labels, num_labels, gt_prob=gt_prob,
                                         zero_unsure=False))
    crf.addPairwiseGaussian(sxy=3, compat=3)
    crf.addPairwiseBilateral(sxy=50, srgb=5, rgbim=np.ascontiguousarray(image), compat=10)
    q = np.asarray(crf.inference(iterations)).reshape(num_labels, height, width)
    return q.argmax(0)


def grabcut_labels(image: np.ndarray, labels: np.ndarray, num_labels: int,
                   margin: int = 3, iterations: int = 3) -> np.ndarray:
    """Refine a label map with OpenCV's GrabCut, one foreground label at a time.

    The CRF-free refinement (``cv2.grabCut``, in every OpenCV build): for label ``k``
    the region eroded by ``margin`` px is sure foreground, everything farther than
    ``margin`` px from it is sure background, and the band between starts as the label
    map says; colour models and a graph cut then place the border. A pixel claimed by
    several labels keeps the lowest; label 0 is the background.

    Args:
        image: (H, W, 3) uint8 RGB.
        labels: (H, W) int in [0, num_labels).
        margin: half-width in pixels of the band GrabCut may relabel.
        iterations: GrabCut iterations.

    Returns:
        (H, W) int64 refined labels.
    """
    import cv2
    bgr = np.ascontiguousarray(image[..., ::-1])
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * margin + 1, ) * 2)
    out = np.zeros(labels.shape, dtype=np.int64)
    for label in range(1, num_labels):
        region = (labels == label).astype(np.uint8)
        if not region.any() or region.all():
            out[(region > 0) & (out == 0)] = label
            continue
        mask = np.where(region > 0, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
        mask[cv2.erode(region, kernel) > 0] = cv2.GC_FGD
        mask[cv2.dilate(region, kernel) == 0] = cv2.GC_BGD
        models = np.zeros((2, 65), dtype=np.float64)
        cv2.grabCut(bgr, mask, None, models[0:1], models[1:2], iterations,
                    cv2.GC_INIT_WITH_MASK)
        out[((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)) & (out == 0)] = label
    return out


def ir_labels_from_cams(cams: np.ndarray, class_ids: Sequence[int],
                        image: Optional[np.ndarray] = None, fg_threshold: float = 0.30,
                        bg_threshold: float = 0.05, refine: str = 'crf') -> np.ndarray:
    """Confident regions of max-normalised CAMs as relation labels.

    ``fg = argmax([fg_threshold, CAMs])`` and ``bg = argmax([bg_threshold, CAMs])``
    (each optionally refined on the image: dense CRF as the paper, or GrabCut where no
    CRF package installs); a pixel is class ``c`` where ``fg`` says so,
    background where both say background, and ignored elsewhere.

    Args:
        cams: (K, H, W) CAMs in [0, 1] of the image's classes.
        class_ids: (K,) 0-based class of each map.
        image: (H, W, 3) uint8 RGB, needed unless ``refine='none'``.
        refine: ``'crf'`` (:func:`dense_crf_labels`), ``'grabcut'``
            (:func:`grabcut_labels`) or ``'none'``.

    Returns:
        (H, W) uint8: 0 background, ``c + 1`` for class c, 255 ignore. An image without
        classes (K = 0) is background throughout.
    """
    refiners = dict(crf=dense_crf_labels, grabcut=grabcut_labels, none=None)
    if refine not in refiners:
        raise ValueError(f'refine must be one of {tuple(refiners)}, got {refine!r}')
    if len(class_ids) == 0:
        return np.zeros(cams.shape[1:], dtype=np.uint8)
    keys = np.concatenate([[0], np.asarray(class_ids, dtype=np.int64) + 1])

    def confident(threshold: float) -> np.ndarray:
        scores = np.concatenate([np.full((1, *cams.shape[1:]), threshold), cams])
        labels = scores.argmax(0)
        if refiners[refine] is not None:
            labels = refiners[refine](image, labels, len(keys))
        return keys[labels]

    fg, bg = confident(fg_threshold), confident(bg_threshold)
    out = np.where(fg > 0, fg, IGNORE)
    out[(fg == 0) & (bg == 0)] = 0
    return out.astype(np.uint8)
