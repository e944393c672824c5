# IRNet step 2 as in the paper, for any data: boundary and displacement branches on the
# frozen CAM ResNet-50, radius-10 pairs, crop 512, rescale 0.5-1.5, batch 32, 3 epochs;
# instance pseudo labels by the random walk (beta 10, 2^8 steps, bg 0.25).
# configs/irn/irn_{voc,coco}.py add the data and step 1's outputs.
_base_ = ['../teacher_runtime.py', '../models/irnet_r50.py', '../schedules/irn_poly_3e.py']

model = dict(
    type='IRNet',
    num_classes=20,  # follows the data's classes
    in_channels=(256, 512, 1024, 2048),
    radius=10,
    cam_scales=_base_.cam_scales,
    data_preprocessor=_base_.data_preprocessor,
    backbone=dict(_base_.backbone, out_indices=(0, 1, 2, 3), init_cfg=None),
    init_cfg=dict(type='Pretrained', checkpoint='work_dirs/cam_voc/epoch_5.pth'))

irn_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadPseudoSegMap'),
    dict(type='mmdet.RandomResize', scale=(500, 500), ratio_range=(0.5, 1.5), keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=_base_.crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=_base_.crop_size, pad_val=dict(img=0, seg=255)),
    dict(type='PackWeakInputs'),
]
train_dataloader = dict(
    batch_size=32, num_workers=4,
    dataset=dict(pseudo_seg_dir='work_dirs/cam_voc/pseudo_labels/ir_labels',
                 pipeline=irn_pipeline))

pseudo_label = dict(
    labeler=dict(type='IRNInstanceLabeler', bg_threshold=0.25, min_area_ratio=0.01),
    dataloader=dict(num_workers=2, dataset=dict(pipeline=_base_.teacher_pipeline)))
