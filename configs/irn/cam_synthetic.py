# IRNet step 1 on the synthetic data: the CAM teacher, trained on image labels only.
# At the end of training its PseudoLabelHook writes IRNet's inter-pixel relation labels
# (confident fg / bg from CAMs, dense-CRF refined) to work_dir/pseudo_labels/ir_labels/.
_base_ = [
    '../_base_/datasets/synthetic.py',
    '../_base_/teacher_runtime.py',
    '../_base_/models/irnet_lite0.py',
    '../_base_/schedules/cam_poly_synthetic.py',
    '../_base_/cam_evaluation.py',
]

model = dict(
    type='CAMClassifier',
    num_classes=_base_.num_classes,
    in_channels=320,
    cam_scales=_base_.cam_scales,
    cam_short_side=_base_.cam_short_side,
    data_preprocessor=_base_.data_preprocessor,
    backbone=_base_.backbone)

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.RandomResize', scale=(320, 320), ratio_range=(0.7, 1.3), keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=_base_.crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=_base_.crop_size),
    dict(type='PackWeakInputs'),
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))

# CAM mIoU on the first 100 train images (keeps the demo short), at several thresholds.
val_dataloader = dict(dataset=dict(indices=100))
val_evaluator = dict(bg_thresholds=(0.15, 0.1, 0.2, 0.3))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

# Stage B for this teacher: relation labels for the IRN step.
pseudo_label = dict(
    name='ir_labels',
    labeler=dict(type='IRLabeler', fg_threshold=0.30, bg_threshold=0.05, refine='crf'),
    dataloader=dict(dataset=dict(pipeline=_base_.teacher_pipeline)))
