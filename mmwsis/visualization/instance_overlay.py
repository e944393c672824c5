"""Pictures of instance masks: filled, outlined and labelled, for people to look at."""
from typing import Optional, Sequence

import cv2
import numpy as np

# Distinct colours (RGB) cycled over instances.
PALETTE = np.array([(230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200),
                    (245, 130, 48), (145, 30, 180), (70, 240, 240), (240, 50, 230),
                    (210, 245, 60), (250, 190, 212), (0, 128, 128), (220, 190, 255),
                    (170, 110, 40), (128, 0, 0), (170, 255, 195), (0, 0, 128)], np.uint8)


def overlay_instances(image: np.ndarray, masks: np.ndarray, labels: Sequence[int],
                      classes: Sequence[str], scores: Optional[Sequence[float]] = None,
                      alpha: float = 0.5) -> np.ndarray:
    """Draw instances on an image.

    Args:
        image: (H, W, 3) uint8 RGB.
        masks: (N, H, W) bool.
        labels: (N,) class indices into ``classes``.
        scores: optional (N,) confidences, printed after the class name.

    Returns:
        (H, W, 3) uint8 RGB with each instance filled in its own colour, outlined and named.
    """
    canvas = image.astype(np.float32).copy()
    for i, mask in enumerate(masks):
        colour = PALETTE[i % len(PALETTE)].astype(np.float32)
        canvas[mask] = (1 - alpha) * canvas[mask] + alpha * colour
    canvas = canvas.astype(np.uint8)
    for i, mask in enumerate(masks):
        colour = tuple(int(c) for c in PALETTE[i % len(PALETTE)])
        contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                       cv2.CHAIN_APPROX_NONE)
        cv2.drawContours(canvas, contours, -1, colour, 1)
        ys, xs = np.nonzero(mask)
        if len(ys):
            text = classes[int(labels[i])]
            if scores is not None:
                text += f' {float(scores[i]):.2f}'
            origin = (int(xs.min()), max(int(ys.min()) - 2, 8))
            cv2.putText(canvas, text, origin, cv2.FONT_HERSHEY_SIMPLEX, 0.3, (0, 0, 0), 2,
                        cv2.LINE_AA)
            cv2.putText(canvas, text, origin, cv2.FONT_HERSHEY_SIMPLEX, 0.3, (255, 255, 255),
                        1, cv2.LINE_AA)
    return canvas


def titled_row(panels: Sequence[np.ndarray], titles: Sequence[str],
               scale: int = 2) -> np.ndarray:
    """Panels side by side, enlarged ``scale`` times, each with a title bar above."""
    row = []
    for panel, title in zip(panels, titles):
        big = cv2.resize(panel, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
        bar = np.full((18, big.shape[1], 3), 255, np.uint8)
        cv2.putText(bar, title, (4, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1,
                    cv2.LINE_AA)
        row.append(np.concatenate([bar, big]))
        row.append(np.full((row[-1].shape[0], 4, 3), 255, np.uint8))
    return np.concatenate(row[:-1], axis=1)
