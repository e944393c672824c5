# Stage C on COCO: Mask R-CNN R-50-FPN trained on a pseudo-label json of train2017,
# evaluated with mmdet's CocoMetric on val2017. tools/pipeline.py sets the json.
_base_ = ['./mask-rcnn_r50_fpn_coco.py']

pseudo_ann_file = 'work_dirs/irn_coco/pseudo_labels/train.json'

train_dataloader = dict(
    dataset=dict(
        data_root='',
        ann_file=pseudo_ann_file,
        data_prefix=dict(img=_base_.data_root + 'train2017/'),
        pipeline=[
            dict(type='mmdet.LoadImageFromFile'),
            dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
            dict(type='LoadInstanceScores'),
            dict(type='mmdet.Resize', scale=_base_.image_scale, keep_ratio=True),
            dict(type='mmdet.RandomFlip', prob=0.5),
            dict(type='PackWeakInputs'),
        ]))
