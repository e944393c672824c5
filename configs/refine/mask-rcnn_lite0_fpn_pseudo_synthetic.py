# Stage C on the synthetic data: the same stock Mask R-CNN as the fully-supervised ceiling,
# trained on a pseudo-label COCO json instead of GT masks, evaluated on val GT.
# tools/pipeline.py sets `pseudo_ann_file` to the teacher's output; per-instance scores
# are loaded (LoadInstanceScores) for heads that weigh the mask loss by them.
_base_ = ['./mask-rcnn_lite0_fpn_synthetic.py']

pseudo_ann_file = 'work_dirs/irn_synthetic/pseudo_labels/train.json'

pseudo_train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='LoadInstanceScores'),
    dict(type='mmdet.Resize', scale=_base_.image_scale, keep_ratio=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='PackWeakInputs'),
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='COCOInstanceDataset',
        data_root='',
        ann_file=pseudo_ann_file,
        data_prefix=dict(img=_base_.data_root + 'JPEGImages/'),
        metainfo=_base_.metainfo,
        supervision='mask',
        pipeline=pseudo_train_pipeline))
