# LIID's MIL network as in the released inference code, on VOC 2012 train_aug (10,582
# images, image labels only): ResNet-50 layer4 (stride 32) on 448x448 inputs (aspect not
# kept), RoIPool 7x7 of the proposal boxes, mean over the bins, a 21-way linear classifier.
# The training recipe was never released (SEEDS.md §1(b)); MILProposalNet states the
# WSDDN loss used here. ImageNet weights: checkpoints/resnet50-19c8e357.pth (torchvision).
# Proposals: MCG's precomputed VOC2012 segments, one <img_id>.mat per image in
# `mcg_dir`, converted once into the store at `proposal_store.root`. `mcg_dir` is
# resolved when this file is parsed: to read them elsewhere, edit it here
# (--cfg-options mcg_dir=... would not reach the pipelines) or symlink the folder.
_base_ = ['../_base_/default_runtime.py']

data_root = 'data/VOCdevkit/VOC2012/'
num_classes = 20
supervision = 'image'
pretrained = 'checkpoints/resnet50-19c8e357.pth'
mcg_dir = data_root + 'MCG/'
proposal_store = dict(root=data_root + 'proposals/mcg_100', source='mat',
                      source_dir=mcg_dir, max_proposals=100)
image_scale = (448, 448)

model = dict(
    type='MILProposalNet',
    num_classes=num_classes,
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
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))

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
train_split = dict(type='VOCInstanceDataset', data_root=data_root,
                   ann_file='ImageSets/Segmentation/train_aug.txt')

train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**train_split, supervision=supervision, pipeline=train_pipeline))
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None

max_epochs = 8
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs)
# One lr for all (see liid_synthetic.py: a 10x lr on the heads collapsed to background).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=False, begin=0)]

# LIID's graph: the release's 3 neighbours counted the proposal itself (k=2 here, which
# excludes it); threshold 0.9, top-4 classes, floor 1e-4. Edges join mutual neighbours,
# as the paper describes (the release's one-directional rule, neighbour_rule='original',
# chains most proposals into one component no exact solver handles). Every proposal cut
# to one of its image's classes is an instance; the release resolves no overlap, so none
# is resolved here.
pseudo_label = dict(
    name='train',
    labeler=dict(type='LIIDCutLabeler',
                 graph=dict(k=2, neighbour_rule='mutual', single_terminal_threshold=0.9,
                            top_classes=4, min_weight=1e-4),
                 cut=dict(num_workers=8)),
    dataloader=dict(
        batch_size=1,
        num_workers=2,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(**train_split, supervision=supervision, test_mode=True,
                     pipeline=teacher_pipeline)),
    score_thr=0.0,
    resolve_overlaps=False)
custom_hooks = [dict(type='PseudoLabelHook')]
default_hooks = dict(checkpoint=dict(interval=max_epochs))

wsis_pipeline = dict(
    teacher_steps=[dict(name='liid', config='./liid_voc.py')],
    refine_config='../refine/mask-rcnn_r50_fpn_pseudo_voc.py',
    ceiling_config='../refine/mask-rcnn_r50_fpn_voc.py')
