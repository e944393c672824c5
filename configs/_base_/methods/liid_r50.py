# LIID's MIL network as in the released inference code, for any data: ResNet-50 layer4
# (stride 32) on 448x448 inputs (aspect not kept), RoIPool 7x7 of the proposal boxes, mean
# over the bins, a (C+1)-way linear classifier. The training recipe was never released
# (SEEDS.md §1(b)); MILProposalNet states the WSDDN loss used here. ImageNet weights:
# checkpoints/resnet50-19c8e357.pth (torchvision). Proposals: MCG's precomputed segments,
# one <img_id>.mat per image in <data_root>/MCG/, converted once into the store under
# <data_root>/proposals/mcg_100/.
_base_ = ['../teacher_runtime.py', '../schedules/liid_poly.py']

proposal_store = dict(root='proposals/mcg_100', source='mat', source_dir='MCG/',
                      max_proposals=100)
image_scale = (448, 448)

model = dict(
    type='MILProposalNet',
    num_classes=20,  # follows the data's classes (mmwsis.utils.apply_data_settings)
    in_channels=2048,
    featmap_stride=32,
    roi_layer=dict(type='RoIPool', output_size=7),  # CUDA only in mmcv
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32),
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint='checkpoints/resnet50-19c8e357.pth')))

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposals', store=proposal_store),
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.Resize', scale=image_scale, keep_ratio=False),
        dict(type='mmdet.RandomFlip', prob=0.5)]),
    dict(type='PackWeakInputs'),
]
teacher_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposals', store=proposal_store),
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.Resize', scale=image_scale, keep_ratio=False)]),
    dict(type='PackWeakInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
                    'flip_direction', 'image_labels', 'supervision', 'proposal_masks')),
]
train_dataloader = dict(batch_size=16, num_workers=4, dataset=dict(pipeline=train_pipeline))

# LIID's graph: the release's 3 neighbours counted the proposal itself (k=2 here, which
# excludes it); threshold 0.9, top-4 classes, floor 1e-4. Edges join mutual neighbours,
# as the paper describes (the release's one-directional rule, neighbour_rule='original',
# chains most proposals into one component no exact solver handles). Every proposal cut
# to one of its image's classes is an instance; the release resolves no overlap, so none
# is resolved here.
pseudo_label = dict(
    labeler=dict(type='LIIDCutLabeler',
                 graph=dict(k=2, neighbour_rule='mutual', single_terminal_threshold=0.9,
                            top_classes=4, min_weight=1e-4),
                 cut=dict(num_workers=8)),
    dataloader=dict(num_workers=2, dataset=dict(pipeline=teacher_pipeline)),
    resolve_overlaps=False)
