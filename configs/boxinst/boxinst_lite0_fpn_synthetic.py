# mmdet's BoxInst (Tian et al., CVPR 2021; mmdet's one weakly-supervised method), by
# inheritance, on the synthetic boxes: the peer of BoxCaseg on the same data, backbone,
# schedule length and metric. It trains on GT boxes only (box supervision: its data
# preprocessor fills each box as the projection target and adds the colour-similarity
# pairs), and is scored on val by the data's instance metric.
#   python tools/train.py configs/boxinst/boxinst_lite0_fpn_synthetic.py
_base_ = 'mmdet::boxinst/boxinst_r50_fpn_ms-90k_coco.py'
default_scope = 'mmwsis'

# The data settings of ../_base_/datasets/synthetic.py, restated: mmengine forbids a key
# in two bases, and mmdet's config has its own data_root.
data_root = 'data/synthetic/'
classes = ('disc', 'square', 'triangle', 'star', 'ring', 'cross')
data_splits = dict(
    train=dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/train.txt',
               data_prefix=dict(img='JPEGImages/')),
    val=dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/val.txt',
             data_prefix=dict(img='JPEGImages/')))
instance_metric = dict(type='InstanceMAPMetric', mode='voc')
supervision = 'box'

width = 128  # the refinement's slim FPN (configs/refine/mask-rcnn_lite0_fpn_synthetic.py)
image_scale = (160, 160)  # native size of the synthetic presets, as the refinement
model = dict(
    # the synthetic scenes have no COCO annotation band at the bottom to skip
    data_preprocessor=dict(bottom_pixels_removed=0),
    backbone=dict(
        _delete_=True,
        type='mmwsis.EfficientNetLite0',
        out_indices=(1, 2, 4, 6),
        frozen_stages=0,
        norm_eval=True,
        pretrained=True),
    # P3-P5 from Lite0's stride-8/16/32 maps, P6-P7 on top, as BoxInst's ResNet FPN;
    # group norm as in the refinement's FPN (Lite0's stage outputs are linear projections)
    neck=dict(in_channels=[24, 40, 112, 320], out_channels=width,
              norm_cfg=dict(type='GN', num_groups=32, requires_grad=True)),
    bbox_head=dict(num_classes=len(classes), in_channels=width, feat_channels=width),
    mask_head=dict(mask_feature_head=dict(in_channels=width, feat_channels=width)))

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=True),
    dict(type='mmdet.Resize', scale=image_scale, keep_ratio=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='PackWeakInputs'),
]
test_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.Resize', scale=image_scale, keep_ratio=True),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='PackWeakInputs'),
]
# The refinement's loaders and schedule length: 4 epochs of at least 100 labelled images
# per class (ClassCoverageSampler), batch 4, SGD 0.01 with clipping, as
# ../_base_/instance_loaders.py and ../_base_/schedules/schedule_synthetic.py.
train_dataloader = dict(
    _delete_=True,
    batch_size=4,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='ClassCoverageSampler', min_images_per_class=100, shuffle=True),
    batch_sampler=dict(type='mmdet.AspectRatioBatchSampler'),
    dataset=dict(type='DataSplit', split='train', pipeline=train_pipeline))
val_dataloader = dict(
    _delete_=True,
    batch_size=4,
    num_workers=1,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    # scored against the val GT masks, as every model is; it trains on boxes only
    dataset=dict(type='DataSplit', split='val', test_mode=True, supervision='mask',
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='DataMetric')
test_evaluator = val_evaluator

max_epochs = 4
train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_interval=max_epochs)
# mmengine scopes every dict of an mmdet:: base to mmdet, and a loop builds its loader in
# its own scope: the loops are restated so that DataSplit's datasets resolve in mmwsis.
val_cfg = dict(_delete_=True, type='ValLoop')
test_cfg = dict(_delete_=True, type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True,
         milestones=[int(max_epochs * 0.75)], gamma=0.1),
]
optim_wrapper = dict(
    optimizer=dict(lr=0.01, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=10.0, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=4)
# by epoch, as the refinement (mmdet's 90k schedule counts iterations)
default_hooks = dict(logger=dict(interval=10),
                     checkpoint=dict(by_epoch=True, interval=1, max_keep_ckpts=2),
                     visualization=dict(type='mmdet.DetVisualizationHook'))
visualizer = dict(type='mmdet.DetLocalVisualizer')
log_processor = dict(window_size=10, by_epoch=True)
randomness = dict(seed=0)

# Stage B: its predictions on the train images, one per GT box (BoxMatchedLabeler: the
# boxes are the labels it was trained on), as the pseudo labels of a Mask R-CNN. The GT
# boxes are loaded after the resize, in the original image's frame, as the masks are
# predicted (rescale). The loader is ../_base_/pseudo_label_runtime.py's, restated for
# the same reason as the data settings.
pseudo_label = dict(
    name='train',
    labeler=dict(type='BoxMatchedLabeler', min_iou=0.5),
    dataloader=dict(
        batch_size=1,
        num_workers=1,
        sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
        dataset=dict(type='DataSplit', split='train', test_mode=True, pipeline=[
            dict(type='mmdet.LoadImageFromFile'),
            dict(type='mmdet.Resize', scale=image_scale, keep_ratio=True),
            dict(type='mmdet.LoadAnnotations', with_bbox=True),
            dict(type='PackWeakInputs')])),
    score_thr=0.0,
    resolve_overlaps=True)
# BoxInst trains (and reports its own val mAP), labels the train split, then the same
# Mask R-CNN refinement and ceiling as every method.
#   python tools/pipeline.py configs/boxinst/boxinst_lite0_fpn_synthetic.py
wsis_pipeline = dict(
    teacher_steps=[dict(name='boxinst')],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_confidence_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
