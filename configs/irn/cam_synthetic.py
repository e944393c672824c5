# IRNet step 1 on the synthetic data: the CAM teacher, trained on image labels only.
# At the end of training its PseudoLabelHook writes IRNet's inter-pixel relation labels
# (confident fg / bg from CAMs, dense-CRF refined) to work_dir/pseudo_labels/ir_labels/.
_base_ = ['../_base_/default_runtime.py']

data_root = 'data/synthetic/'
metainfo = dict(classes=('disc', 'square', 'triangle', 'star', 'ring', 'cross'))
num_classes = 6
supervision = 'image'
crop_size = (224, 224)
# The paper's test scales (1.0, 0.5, 1.5, 2.0) suit 500 px VOC images; the synthetic
# objects are ~25 px, and at output stride 16 CAMs need the image enlarged. CAM mIoU on
# 60 train images after 2 epochs: (2, 1.5, 3, 4) 38.5, (1, 1.5, 2, 2.5) 30.9, (2, 3) 40.9,
# (2.5, 3.5) 46.8, (3,) 47.5 -> one scale, 3x, with flip.
cam_scales = (3.0, )

model = dict(
    type='CAMClassifier',
    num_classes=num_classes,
    in_channels=320,
    cam_scales=cam_scales,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True,
        pad_size_divisor=16,
        pad_seg=True,
        seg_pad_value=255),
    backbone=dict(
        type='EfficientNetLite0',
        out_indices=(6, ),
        strides_to_dilation=(5, ),  # output stride 16, as the paper's ResNet-50
        frozen_stages=1,  # the paper freezes conv1..layer2
        norm_eval=True,  # and all batch norms
        pretrained=True))

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.RandomResize', scale=(320, 320), ratio_range=(0.7, 1.3), keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=crop_size),
    dict(type='PackWeakInputs'),
]
teacher_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='PackWeakInputs'),
]
cam_eval_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=False, with_seg=True,
         imdecode_backend='pillow'),
    dict(type='PackWeakInputs'),
]
train_split = dict(
    type='VOCInstanceDataset',
    data_root=data_root,
    metainfo=metainfo,
    ann_file='ImageSets/Segmentation/train.txt')

train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**train_split, supervision=supervision, pipeline=train_pipeline))
# CAM quality is measured on the training split's GT (as IRNet does on VOC train), on its
# first 100 images to keep the demo short; it is a report, not model selection: the last
# checkpoint is used whatever it says.
val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**train_split, supervision='mask', test_mode=True, indices=100,
                 pipeline=cam_eval_pipeline))
val_evaluator = dict(type='CAMMIoUMetric', bg_thresholds=(0.15, 0.1, 0.2, 0.3))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

max_epochs = 5
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# IRNet: SGD, poly decay (power 0.9), weight decay 1e-4, 10x lr on the classifier. The
# paper's lr 0.1 ran with no momentum (a PolyOptimizer quirk); 0.01 with momentum 0.9 is
# the same step size.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'classifier': dict(lr_mult=10.0)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=False, begin=0)]

# Stage B for this teacher: relation labels for the IRN step.
pseudo_label = dict(
    name='ir_labels',
    labeler=dict(type='IRLabeler', fg_threshold=0.30, bg_threshold=0.05, refine='crf'),
    dataloader=dict(
        batch_size=1,
        num_workers=1,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(**train_split, supervision=supervision, test_mode=True,
                     pipeline=teacher_pipeline)))
custom_hooks = [dict(type='PseudoLabelHook')]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
