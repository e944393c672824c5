"""IRNet's relation labels: thresholds, class keys, and edge-snapping refinements."""
import numpy as np
import pytest

from mmwsis.pseudo import ir_labels_from_cams
from mmwsis.pseudo.ir_labels import IGNORE, dense_crf_labels, grabcut_labels


def test_confident_regions_become_class_background_or_ignore():
    cams = np.zeros((2, 4, 6))
    cams[0, :, :2] = [0.9, 0.2]  # column 0 confident, column 1 uncertain
    cams[1, :, 4:] = 0.5
    labels = ir_labels_from_cams(cams, class_ids=[3, 0], refine='none')
    assert labels.dtype == np.uint8
    assert (labels[:, 0] == 4).all()  # class 3 -> 4 (0 is background)
    assert (labels[:, 1] == IGNORE).all()  # 0.05 <= 0.2 < 0.30
    assert (labels[:, 2:4] == 0).all()  # no activation: background
    assert (labels[:, 4:] == 1).all()  # class 0 -> 1


def test_unknown_refinement_is_refused():
    with pytest.raises(ValueError, match='grabcut'):
        ir_labels_from_cams(np.zeros((1, 2, 2)), [0], refine='bilateral')


def _square_scene():
    """A red square on a grey textured background, and a label map that bleeds 3 px."""
    rng = np.random.default_rng(0)
    image = np.clip(rng.normal(120, 12, (48, 48, 3)), 0, 255).astype(np.uint8)
    truth = np.zeros((48, 48), dtype=bool)
    truth[14:34, 14:34] = True
    image[truth] = (200, 30, 30)
    bled = np.zeros((48, 48), dtype=np.int64)
    bled[11:37, 11:37] = 1
    return image, truth, bled


def _iou(a, b):
    return (a & b).sum() / (a | b).sum()


@pytest.mark.parametrize('refine', [grabcut_labels, dense_crf_labels])
def test_refinement_moves_a_bleeding_label_onto_the_object_edge(refine):
    if refine is dense_crf_labels:
        pytest.importorskip('pydensecrf.densecrf')
    image, truth, bled = _square_scene()
    refined = refine(image, bled, num_labels=2)
    assert refined.shape == bled.shape
    assert _iou(refined == 1, truth) > 0.95 > _iou(bled == 1, truth)


def test_grabcut_keeps_labels_it_cannot_refine():
    image, _, _ = _square_scene()
    everywhere = np.ones((48, 48), dtype=np.int64)
    assert (grabcut_labels(image, everywhere, 2) == 1).all()
    assert (grabcut_labels(image, np.zeros((48, 48), np.int64), 3) == 0).all()
