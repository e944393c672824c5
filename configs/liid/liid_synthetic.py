# LIID on the synthetic data: the MIL proposal classifier, trained on image labels only.
# At the end of training its PseudoLabelHook scores every training image's proposals,
# builds LIID's proposal graph over the whole split, cuts it and writes the instance
# pseudo labels (COCO json) to work_dir/pseudo_labels/train.json.
#   python tools/pipeline.py configs/liid/liid_synthetic.py     (all stages, one table)
_base_ = [
    '../_base_/datasets/synthetic.py',
    '../_base_/teacher_runtime.py',
    '../_base_/schedules/liid_poly.py',
]

# The built-in proposal generator (no learning), computed once per image and cached under
# the data root (~0.2 s per 160 px image). Proposals are inputs, not labels: they are made
# from the image alone.
proposal_store = dict(root='proposals/generate_100', source='generate', max_proposals=100)
# The paper resizes to 448 for a stride-32 map; the 160 px synthetic images go to 320 and
# the map is kept at stride 16, so that a ~25 px object spans ~3 cells of the 20x20 map.
image_scale = (320, 320)
featmap_stride = 16

model = dict(
    type='MILProposalNet',
    num_classes=_base_.num_classes,
    in_channels=320,
    featmap_stride=featmap_stride,
    # mmcv's RoIPool (the paper's) has no CPU kernel; RoIAlign does.
    roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=0),
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True,
        pad_size_divisor=32),
    backbone=dict(
        type='EfficientNetLite0',
        out_indices=(6, ),
        strides_to_dilation=(5, ),
        frozen_stages=1,
        norm_eval=True,
        pretrained=True))

# Resize / flip are replayed on the proposal boxes by ProposalBroadcaster; the proposal
# masks stay in the original frame.
train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposals', store=proposal_store),
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.Resize', scale=image_scale, keep_ratio=False),
        dict(type='mmdet.RandomFlip', prob=0.5)]),
    dict(type='PackWeakInputs'),
]
# The labeler needs the proposal masks of exactly the proposals scored: pack them along.
teacher_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposals', store=proposal_store),
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.Resize', scale=image_scale, keep_ratio=False)]),
    dict(type='PackWeakInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
                    'flip_direction', 'image_labels', 'supervision', 'proposal_masks')),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

train_cfg = dict(max_epochs=4)

# Stage B: proposals labelled by one multiway cut over the whole split. Scores are each
# proposal's probability of its cut class times its objectness (the generator's score);
# overlapping proposals (nested segments of one object often get the same class) are made
# disjoint by the collector: each pixel goes to the highest-scoring proposal, proposals
# left with under half their area are dropped. Pseudo mAP50 on train: 12.4 with the
# probability alone (score='cls'), 34.0 with the objectness.
pseudo_label = dict(
    labeler=dict(type='LIIDCutLabeler',
                 graph=dict(k=3, neighbour_rule='mutual'),
                 cut=dict(num_workers=2)),
    dataloader=dict(dataset=dict(pipeline=teacher_pipeline)))

wsis_pipeline = dict(
    teacher_steps=[dict(name='liid')],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
