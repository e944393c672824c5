# IRNet step 2 as in the paper on VOC 2012 train_aug: branches on the frozen CAM ResNet-50,
# radius-10 pairs, crop 512, rescale 0.5-1.5, batch 32, 3 epochs; instance pseudo labels
# by the random walk (beta 10, 2^8 steps, bg 0.25), refined by Mask R-CNN R-50-FPN.
#   python tools/pipeline.py configs/irn/irn_voc.py
_base_ = ['./cam_voc.py']

cam_work_dir = 'work_dirs/cam_voc'
cam_checkpoint = cam_work_dir + '/epoch_5.pth'
ir_label_dir = cam_work_dir + '/pseudo_labels/ir_labels'

model = dict(
    _delete_=True,
    type='IRNet',
    num_classes=_base_.num_classes,
    in_channels=(256, 512, 1024, 2048),
    radius=10,
    cam_scales=_base_.cam_scales,
    data_preprocessor=_base_.model.data_preprocessor,
    backbone=dict(_base_.backbone, out_indices=(0, 1, 2, 3), init_cfg=None),
    init_cfg=dict(type='Pretrained', checkpoint=cam_checkpoint))

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
    batch_size=32, dataset=dict(pseudo_seg_dir=ir_label_dir, pipeline=irn_pipeline))
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None

max_epochs = 3
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs)
# The paper: lr 0.1 on the boundary branch and 1.0 on the displacement branch.
optim_wrapper = dict(
    optimizer=dict(lr=0.01),
    paramwise_cfg=dict(
        _delete_=True, custom_keys={'displacement_branch': dict(lr_mult=10.0)}))

pseudo_label = dict(
    name='train',
    labeler=dict(_delete_=True, type='IRNInstanceLabeler', bg_threshold=0.25,
                 min_area_ratio=0.01),
    score_thr=0.0,
    resolve_overlaps=True)
default_hooks = dict(checkpoint=dict(interval=max_epochs))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='./cam_voc.py',
             outputs=dict(cam_checkpoint='epoch_5.pth',
                          ir_label_dir='pseudo_labels/ir_labels')),
        dict(name='irn', config='./irn_voc.py',
             inputs=dict(cam_checkpoint='model.init_cfg.checkpoint',
                         ir_label_dir='train_dataloader.dataset.pseudo_seg_dir')),
    ],
    refine_config='../refine/mask-rcnn_r50_fpn_pseudo_voc.py',
    ceiling_config='../refine/mask-rcnn_r50_fpn_voc.py')
