# IRNet step 1 as in the paper, on VOC 2012 train_aug (10,582 images, image labels only):
# ResNet-50 at output stride 16, frozen BN, conv1..layer2 frozen, 5 epochs, crop 512.
# ImageNet weights are read from disk: checkpoints/resnet50-19c8e357.pth (torchvision's).
_base_ = ['../_base_/default_runtime.py']

data_root = 'data/VOCdevkit/VOC2012/'
num_classes = 20
supervision = 'image'
crop_size = (512, 512)
cam_scales = (1.0, 0.5, 1.5, 2.0)
pretrained = 'checkpoints/resnet50-19c8e357.pth'

backbone = dict(
    type='mmdet.ResNet',
    depth=50,
    num_stages=4,
    strides=(1, 2, 2, 1),  # output stride 16
    out_indices=(3, ),
    frozen_stages=2,
    norm_cfg=dict(type='BN', requires_grad=False),
    norm_eval=True,
    style='pytorch',
    init_cfg=dict(type='Pretrained', checkpoint=pretrained))
model = dict(
    type='CAMClassifier',
    num_classes=num_classes,
    in_channels=2048,
    cam_scales=cam_scales,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=16,
        pad_seg=True,
        seg_pad_value=255),
    backbone=backbone)

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.RandomResize', scale=[(320, 320), (640, 640)], keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=crop_size),
    dict(type='PackWeakInputs'),
]
teacher_pipeline = [dict(type='mmdet.LoadImageFromFile'), dict(type='PackWeakInputs')]
cam_eval_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=False, with_seg=True,
         imdecode_backend='pillow'),
    dict(type='PackWeakInputs'),
]
train_split = dict(type='VOCInstanceDataset', data_root=data_root,
                   ann_file='ImageSets/Segmentation/train_aug.txt')

train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**train_split, supervision=supervision, pipeline=train_pipeline))
# CAM mIoU on VOC train (1,464 images with GT), as the paper reports it; not used to
# select anything.
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='VOCInstanceDataset', data_root=data_root,
                 ann_file='ImageSets/Segmentation/train.txt', supervision='mask',
                 test_mode=True, pipeline=cam_eval_pipeline))
val_evaluator = dict(type='CAMMIoUMetric', bg_thresholds=(0.15, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

max_epochs = 5
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# The paper: lr 0.1 (classifier 1.0) with no momentum, poly decay, wd 1e-4; 0.01 with
# momentum 0.9 takes the same steps.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'classifier': dict(lr_mult=10.0)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=False, begin=0)]

pseudo_label = dict(
    name='ir_labels',
    labeler=dict(type='IRLabeler', fg_threshold=0.30, bg_threshold=0.05, refine='crf'),
    dataloader=dict(
        batch_size=1,
        num_workers=2,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(**train_split, supervision=supervision, test_mode=True,
                     pipeline=teacher_pipeline)))
custom_hooks = [dict(type='PseudoLabelHook')]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
