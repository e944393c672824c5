# CIM as in the paper, for any data: ResNet-50 C4 (stride 16, 1024 channels, conv1 and
# layer1 frozen, every BN frozen), RoIAlign 7x7 of COB proposals (up to 4096 per image),
# the MaskFuse head (conv 1024, two FC 4096), the MIL branch and three refinement branches;
# short side in {480, 576, 688, 864, 1200} (max 2000) with flips for training, all five and
# their flips at test (10 passes). ImageNet weights: checkpoints/resnet50-19c8e357.pth
# (torchvision). Proposals: COB's segments, one <img_id>.mat per image in <data_root>/COB/,
# converted once into the store under <data_root>/proposals/cob_4096/.
_base_ = ['../teacher_runtime.py', '../schedules/cim_sgd_45k.py']

proposal_store = dict(root='proposals/cob_4096', source='mat', source_dir='COB/',
                      max_proposals=4096)
scales = (480, 576, 688, 864, 1200)
meta_keys = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
             'flip_direction', 'image_labels', 'supervision', 'proposal_masks',
             'proposal_iou', 'proposal_containment', 'proposal_box_masks', 'proposal_clusters')

model = dict(
    type='CIMNet',
    num_classes=20,  # follows the data's classes (mmwsis.utils.apply_data_settings)
    in_channels=1024,
    featmap_stride=16,
    roi_head=dict(conv_channels=1024, fc_channels=4096),
    test_scales=scales,
    test_flip=True,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=16),
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        num_stages=3,
        strides=(1, 2, 2),
        dilations=(1, 1, 1),
        out_indices=(2, ),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint='checkpoints/resnet50-19c8e357.pth')))

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposalsWithRelations', store=proposal_store),
    dict(type='AssignProposalClusters', num_classes=20),  # PRM peaks; points: GT points
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.RandomChoiceResize', scales=[(2000, s) for s in scales],
             keep_ratio=True),
        dict(type='mmdet.RandomFlip', prob=0.5)]),
    dict(type='PackWeakInputs', meta_keys=meta_keys),
]
teacher_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposalsWithRelations', store=proposal_store),
    dict(type='PackWeakInputs', meta_keys=meta_keys),
]
train_dataloader = dict(batch_size=1, num_workers=4, dataset=dict(pipeline=train_pipeline))
# The schedule counts iterations (cim_sgd_45k.py): checkpoints every 5k optimizer steps.
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=20000))

pseudo_label = dict(
    labeler=dict(type='CIMLabeler', score_thr=1e-5, nms_iou=0.3, max_per_image=100),
    dataloader=dict(num_workers=2, dataset=dict(pipeline=teacher_pipeline)),
    score_thr=0.3)
