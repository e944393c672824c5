import pycocotools.mask as mask_utils
import pytest

from mmwsis.datasets import COCOInstanceDataset, VOCInstanceDataset


def test_coco_and_voc_readers_agree(synthetic_root, synthetic_classes):
    coco = COCOInstanceDataset(
        data_root=str(synthetic_root), ann_file='annotations/instances_train.json',
        data_prefix=dict(img='JPEGImages/'), metainfo=dict(classes=synthetic_classes),
        pipeline=[])
    voc = VOCInstanceDataset(
        data_root=str(synthetic_root), ann_file='ImageSets/Segmentation/train.txt',
        metainfo=dict(classes=synthetic_classes), pipeline=[])
    assert len(coco) == len(voc)
    for i in range(len(voc)):
        a, b = coco.get_data_info(i), voc.get_data_info(i)
        assert a['img_path'] == b['img_path']
        assert a['image_labels'] == b['image_labels']
        masks_a = sorted(mask_utils.decode(x['mask']).tobytes() for x in a['instances'])
        masks_b = sorted(mask_utils.decode(x['mask']).tobytes() for x in b['instances'])
        assert masks_a == masks_b


def test_coco_class_mismatch(synthetic_root):
    with pytest.raises(ValueError, match="configured classes \\['unicorn'\\]"):
        COCOInstanceDataset(
            data_root=str(synthetic_root), ann_file='annotations/instances_train.json',
            data_prefix=dict(img='JPEGImages/'), metainfo=dict(classes=('unicorn',)),
            pipeline=[])
