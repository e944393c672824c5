# The fully-supervised reference on COCO 2017: stock mmdet Mask R-CNN R-50-FPN 1x with
# ImageNet weights read from disk (checkpoints/resnet50-0676ba61.pth, torchvision's),
# reported with mmdet's CocoMetric on val2017.
_base_ = [
    'mmdet::_base_/models/mask-rcnn_r50_fpn.py',
    'mmdet::_base_/schedules/schedule_1x.py',
    '../_base_/datasets/coco.py',
    '../_base_/instance_loaders.py',
    '../_base_/default_runtime.py',
]

model = dict(
    backbone=dict(init_cfg=dict(type='Pretrained',
                                checkpoint='checkpoints/resnet50-0676ba61.pth')))
