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
                          "refine='none' in the IR labeler config") from err
    height, width = labels.shape
    crf = dcrf.DenseCRF2D(width, height, num_labels)
    crf.setUnaryEnergy(unary_from_labels(labels, num_labels, gt_prob=gt_prob,
                                         zero_unsure=False))
    crf.addPairwiseGaussian(sxy=3, compat=3)
    crf.addPairwiseBilateral(sxy=50, srgb=5, rgbim=np.ascontiguousarray(image), compat=10)
    q = np.asarray(crf.inference(iterations)).reshape(num_labels, height, width)
    return q.argmax(0)


def ir_labels_from_cams(cams: np.ndarray, class_ids: Sequence[int],
                        image: Optional[np.ndarray] = None, fg_threshold: float = 0.30,
                        bg_threshold: float = 0.05, refine: str = 'crf') -> np.ndarray:
    """Confident regions of max-normalised CAMs as relation labels.

    ``fg = argmax([fg_threshold, CAMs])`` and ``bg = argmax([bg_threshold, CAMs])``
    (each optionally CRF-refined on the image); a pixel is class ``c`` where ``fg`` says
    so, background where both say background, and ignored elsewhere.

    Args:
        cams: (K, H, W) CAMs in [0, 1] of the image's classes.
        class_ids: (K,) 0-based class of each map.
        image: (H, W, 3) uint8 RGB, needed when ``refine='crf'``.
        refine: ``'crf'`` or ``'none'``.

    Returns:
        (H, W) uint8: 0 background, ``c + 1`` for class c, 255 ignore.
    """
    if refine not in ('crf', 'none'):
        raise ValueError(f"refine must be 'crf' or 'none', got {refine!r}")
    keys = np.concatenate([[0], np.asarray(class_ids, dtype=np.int64) + 1])

    def confident(threshold: float) -> np.ndarray:
        scores = np.concatenate([np.full((1, *cams.shape[1:]), threshold), cams])
        labels = scores.argmax(0)
        if refine == 'crf':
            labels = dense_crf_labels(image, labels, len(keys))
        return keys[labels]

    fg, bg = confident(fg_threshold), confident(bg_threshold)
    out = np.where(fg > 0, fg, IGNORE)
    out[(fg == 0) & (bg == 0)] = 0
    return out.astype(np.uint8)
