# HRNetV2-W48 through mmdet's HRNet, all four branches (48, 96, 192, 384 channels at
# strides 4-32), with the ImageNet classification weights read from disk (nothing is
# downloaded at run time): checkpoints/hrnetv2_w48_imagenet.pth, the HRNetV2-W48 weights
# of HRNet-Image-Classification that OpenMMLab's `open-mmlab://msra/hrnetv2_w48` names.
# A method base takes it as `_base_.hrnetv2_w48` (BESTIE keeps only its stride-4 branch).
hrnetv2_w48 = dict(
    type='mmdet.HRNet',
    extra=dict(
        stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK', num_blocks=(4, ),
                    num_channels=(64, )),
        stage2=dict(num_modules=1, num_branches=2, block='BASIC', num_blocks=(4, 4),
                    num_channels=(48, 96)),
        stage3=dict(num_modules=4, num_branches=3, block='BASIC', num_blocks=(4, 4, 4),
                    num_channels=(48, 96, 192)),
        stage4=dict(num_modules=3, num_branches=4, block='BASIC', num_blocks=(4, 4, 4, 4),
                    num_channels=(48, 96, 192, 384))),
    init_cfg=dict(type='Pretrained', checkpoint='checkpoints/hrnetv2_w48_imagenet.pth'))
