"""IRNet's labelers on teacher outputs: empty images, teacher scale, semantic maps."""
import numpy as np
import pycocotools.mask as mask_utils
import torch

from mmwsis.engine.pseudo_label import IRLabeler, IRNInstanceLabeler, IRNSemanticLabeler


def teacher_output(scale: float, height: int = 24, width: int = 32, with_object=True):
    grid = (int(np.ceil(height * scale / 4)), int(np.ceil(width * scale / 4)))
    cams = torch.zeros(1, *grid)
    if with_object:
        cams[0, 1:4, 1:4] = 1.0
    return dict(cams=cams, cam_labels=torch.tensor([2]), boundary=torch.zeros(grid),
                displacement=torch.zeros(2, *grid), ori_shape=(height, width),
                teacher_scale=scale)


def test_no_object_gives_an_empty_result():
    out = IRNInstanceLabeler().per_image(teacher_output(1.0, with_object=False))
    assert out.masks == [] and len(out.labels) == len(out.scores) == 0


def test_masks_come_back_at_the_original_size_whatever_the_teacher_scale():
    for scale in (1.0, 2.0):
        out = IRNInstanceLabeler(min_area_ratio=0.0).per_image(teacher_output(scale))
        masks = mask_utils.decode(out.masks)
        assert masks.shape[:2] == (24, 32)
        assert set(out.labels.tolist()) == {2}
        assert masks.any()


def test_semantic_map_uses_class_ids_plus_one():
    label_map = IRNSemanticLabeler().per_image(teacher_output(2.0)).label_map
    assert label_map.shape == (24, 32) and set(np.unique(label_map)) <= {0, 3}
    assert (label_map == 3).any()


def test_an_image_without_labels_gets_background_and_no_instance():
    """COCO and users' data have images with no labelled object (VOC train has none)."""
    sample = dict(teacher_output(1.0), cams=torch.zeros(0, 6, 8), cam_labels=torch.zeros(0),
                  cams_full=torch.zeros(0, 24, 32))
    assert IRNInstanceLabeler().per_image(sample).masks == []
    assert (IRNSemanticLabeler().per_image(sample).label_map == 0).all()
    relation = IRLabeler(refine='none').per_image(dict(sample, img_path='unused.jpg'))
    assert relation.label_map.shape == (24, 32) and (relation.label_map == 0).all()
