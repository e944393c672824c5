"""The VOC2012 reader on the synthetic data, and every kind of bad input."""
import logging

import numpy as np
import pycocotools.mask as mask_utils
import pytest
from mmengine.logging import MMLogger
from PIL import Image

from mmwsis.datasets import VOCInstanceDataset


def build(root, classes, split='train', **kwargs):
    return VOCInstanceDataset(
        data_root=str(root), ann_file=f'ImageSets/Segmentation/{split}.txt',
        metainfo=dict(classes=classes), pipeline=[], **kwargs)


def test_reads_instances_that_match_the_pngs(synthetic_root, synthetic_classes):
    dataset = build(synthetic_root, synthetic_classes)
    assert len(dataset) == 12
    info = dataset.get_data_info(0)
    objects = np.asarray(Image.open(synthetic_root / 'SegmentationObject' / f'{info["img_id"]}.png'))
    ids = [i for i in np.unique(objects) if i not in (0, 255)]
    assert len(info['instances']) == len(ids)
    for instance_id, instance in zip(ids, info['instances']):
        mask = mask_utils.decode(instance['mask']).astype(bool)
        np.testing.assert_array_equal(mask, objects == instance_id)
        assert not (mask & (objects == 255)).any()  # void is in no instance
        x1, y1, x2, y2 = instance['bbox']
        ys, xs = np.nonzero(mask)
        assert (x1, y1, x2, y2) == (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    assert info['image_labels'] == sorted({i['bbox_label'] for i in info['instances']})


@pytest.mark.parametrize('supervision,keys', [
    ('image', None), ('point', {'point', 'bbox_label', 'ignore_flag'}),
    ('box', {'bbox', 'bbox_label', 'ignore_flag'}),
    ('mask', {'bbox', 'bbox_label', 'mask', 'ignore_flag'})])
def test_each_supervision_level_sees_only_its_labels(synthetic_root, synthetic_classes,
                                                      supervision, keys):
    dataset = build(synthetic_root, synthetic_classes, supervision=supervision)
    info = dataset.get_data_info(0)
    assert info['image_labels'] and info['supervision'] == supervision
    if keys is None:
        assert info['instances'] == []
    else:
        assert info['instances'] and all(set(i) == keys for i in info['instances'])


def test_points_lie_inside_their_instance(synthetic_root, synthetic_classes):
    strong = build(synthetic_root, synthetic_classes).get_data_info(1)
    weak = build(synthetic_root, synthetic_classes, supervision='point').get_data_info(1)
    for full, point in zip(strong['instances'], weak['instances']):
        x, y = point['point']
        assert mask_utils.decode(full['mask'])[int(y), int(x)] == 1


def test_missing_data_root_names_path_and_fix(tmp_path, synthetic_classes):
    with pytest.raises(FileNotFoundError, match='make_synthetic.py --out .*nowhere'):
        build(tmp_path / 'nowhere', synthetic_classes)


def test_listed_but_absent_image(synthetic_copy, synthetic_classes):
    (synthetic_copy / 'JPEGImages' / 'syn_train_000003.jpg').unlink()
    with pytest.raises(FileNotFoundError, match='1 image.*syn_train_000003'):
        build(synthetic_copy, synthetic_classes)


class Messages(logging.Handler):
    """Collects what mmengine's current logger is told."""

    def __init__(self) -> None:
        super().__init__()
        self.lines = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_corrupt_image_is_skipped_and_counted(synthetic_copy, synthetic_classes):
    (synthetic_copy / 'JPEGImages' / 'syn_train_000002.jpg').write_bytes(b'not a jpeg')
    logger, messages = MMLogger.get_current_instance(), Messages()
    logger.addHandler(messages)
    try:
        dataset = build(synthetic_copy, synthetic_classes)
    finally:
        logger.removeHandler(messages)
    assert len(dataset) == 11
    assert any('skipped 1 unreadable image(s)' in line and 'syn_train_000002' in line
               for line in messages.lines)


def test_instance_without_class(synthetic_copy, synthetic_classes):
    path = synthetic_copy / 'SegmentationClass' / 'syn_train_000000.png'
    image = Image.open(path)
    classes = np.asarray(image).copy()
    objects = np.asarray(Image.open(synthetic_copy / 'SegmentationObject' / path.name))
    classes[objects == 1] = 0
    repaired = Image.fromarray(classes, mode='P')
    repaired.putpalette(image.getpalette())
    repaired.save(path)
    with pytest.raises(ValueError, match='syn_train_000000.png: instance id 1 covers no class'):
        build(synthetic_copy, synthetic_classes)


def test_unknown_class_name(synthetic_copy, synthetic_classes):
    xml = synthetic_copy / 'Annotations' / 'syn_train_000001.xml'
    first = synthetic_classes[0]
    text = xml.read_text()
    other = next(c for c in synthetic_classes if f'<name>{c}</name>' in text)
    xml.write_text(text.replace(f'<name>{other}</name>', '<name>unicorn</name>', 1))
    with pytest.raises(ValueError, match="'unicorn' is not among the configured classes"):
        build(synthetic_copy, synthetic_classes)
    assert first  # the configured names were the generator's


def test_class_names_must_match_the_data(synthetic_root, synthetic_classes):
    with pytest.raises(ValueError, match='meta.json lists classes'):
        build(synthetic_root, tuple(reversed(synthetic_classes)))


def test_image_without_labels_is_skipped_in_training_only(synthetic_copy, synthetic_classes):
    stem = 'syn_train_000004'
    for folder in ('SegmentationObject', 'SegmentationClass'):
        path = synthetic_copy / folder / f'{stem}.png'
        image = Image.open(path)
        empty = Image.fromarray(np.zeros_like(np.asarray(image)), mode='P')
        empty.putpalette(image.getpalette())
        empty.save(path)
    xml = synthetic_copy / 'Annotations' / f'{stem}.xml'
    text = xml.read_text()
    xml.write_text(text[:text.index('<object>')] + '</annotation>\n')
    train = build(synthetic_copy, synthetic_classes, supervision='image')
    assert len(train) == 11 and stem not in [train.get_data_info(i)['img_id'] for i in range(11)]
    test = build(synthetic_copy, synthetic_classes, test_mode=True)
    assert len(test) == 12
