# IRNet's networks as in the paper: ResNet-50 at output stride 16, frozen BN, conv1..layer2
# frozen. ImageNet weights are read from disk: checkpoints/resnet50-19c8e357.pth
# (torchvision's). What the CAM step and the IRN step of configs/irn/*_{voc,coco}.py share.
cam_scales = (1.0, 0.5, 1.5, 2.0)
crop_size = (512, 512)
data_preprocessor = dict(
    type='mmdet.DetDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_size_divisor=16,
    pad_seg=True,
    seg_pad_value=255)
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
    init_cfg=dict(type='Pretrained', checkpoint='checkpoints/resnet50-19c8e357.pth'))
teacher_pipeline = [dict(type='mmdet.LoadImageFromFile'), dict(type='PackWeakInputs')]
