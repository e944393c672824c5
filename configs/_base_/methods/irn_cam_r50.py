# IRNet step 1 as in the paper, for any data: the CAM classifier on ResNet-50, 5 epochs,
# crop 512, then its relation labels (dense-CRF refined). configs/irn/cam_{voc,coco}.py add
# the data.
_base_ = ['../teacher_runtime.py', '../models/irnet_r50.py', '../schedules/cam_poly_5e.py']

model = dict(
    type='CAMClassifier',
    num_classes=20,  # follows the data's classes (mmwsis.utils.apply_data_settings)
    in_channels=2048,
    cam_scales=_base_.cam_scales,
    data_preprocessor=_base_.data_preprocessor,
    backbone=_base_.backbone)

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.RandomResize', scale=[(320, 320), (640, 640)], keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=_base_.crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=_base_.crop_size),
    dict(type='PackWeakInputs'),
]
train_dataloader = dict(batch_size=16, num_workers=4,
                        dataset=dict(pipeline=train_pipeline))

pseudo_label = dict(
    name='ir_labels',
    labeler=dict(type='IRLabeler', fg_threshold=0.30, bg_threshold=0.05, refine='crf'),
    dataloader=dict(num_workers=2, dataset=dict(pipeline=_base_.teacher_pipeline)))
