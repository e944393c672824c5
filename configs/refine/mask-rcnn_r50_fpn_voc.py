# The fully-supervised reference of the papers (BESTIE's table: Mask R-CNN on VOC 2012
# train_aug, evaluated on val with mAP^r 25/50/70/75), stock mmdet Mask R-CNN R-50-FPN 1x.
# ImageNet weights are read from disk (nothing is downloaded at run time):
# checkpoints/resnet50-0676ba61.pth is torchvision's ResNet-50 (IMAGENET1K_V2).
_base_ = [
    'mmdet::_base_/models/mask-rcnn_r50_fpn.py',
    'mmdet::_base_/schedules/schedule_1x.py',
    '../_base_/datasets/voc.py',
    '../_base_/instance_loaders.py',
    '../_base_/default_runtime.py',
]

model = dict(
    backbone=dict(init_cfg=dict(type='Pretrained',
                                checkpoint='checkpoints/resnet50-0676ba61.pth')))
