"""BoxPrior: the box baselines as a teacher without weights, through its preprocessor."""
import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

from mmwsis.registry import MODELS
from mmwsis.utils import register_all_modules

from ..test_pseudo.test_box_prior_masks import disc_image


def setup_module():
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')


def build(prior):
    return MODELS.build(dict(
        type='BoxPrior', prior=prior,
        data_preprocessor=dict(type='mmdet.DetDataPreprocessor', bgr_to_rgb=False,
                               pad_size_divisor=32)))


def batch():
    """One (3, 60, 80) uint8 image with the disc's box, as PackWeakInputs packs it."""
    image, disc = disc_image()
    sample = DetDataSample(metainfo=dict(img_shape=(60, 80), ori_shape=(60, 80)))
    sample.gt_instances = InstanceData(bboxes=torch.tensor([[24.0, 14.0, 57.0, 47.0]]),
                                       labels=torch.tensor([0]))
    return dict(inputs=[torch.from_numpy(image).permute(2, 0, 1).contiguous()],
                data_samples=[sample]), disc


@pytest.mark.parametrize('prior', ['filled', 'grabcut'])
def test_one_mask_per_box_at_the_image_size_unpadded(prior):
    model = build(prior)
    assert not list(model.parameters())  # tools/test.py needs no checkpoint for it
    data, disc = batch()
    data = model.data_preprocessor(data, False)
    assert data['inputs'].shape[-2:] == (64, 96)  # padded to 32
    [sample] = model(**data, mode='predict')
    masks = sample.box_masks.numpy()
    assert masks.shape == (1, 60, 80) and masks.dtype == bool
    iou = (masks[0] & disc).sum() / (masks[0] | disc).sum()
    if prior == 'filled':
        assert masks[0, 14:47, 24:57].all() and masks.sum() == 33 * 33
    else:  # the raw pixels reached GrabCut: the preprocessor neither scaled nor shifted them
        assert iou > 0.9


def test_there_is_nothing_to_train():
    model = build('filled')
    data, _ = batch()
    with pytest.raises(RuntimeError, match='no weights to train'):
        model(**model.data_preprocessor(data, True), mode='loss')


def test_unknown_prior_is_refused():
    with pytest.raises(ValueError, match="'filled', 'grabcut'"):
        build('box')
