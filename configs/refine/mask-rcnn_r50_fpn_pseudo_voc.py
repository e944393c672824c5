# Stage C on VOC: the reference Mask R-CNN R-50-FPN trained on a pseudo-label json of
# train_aug, evaluated on val GT (mAP^r 25/50/70/75). tools/pipeline.py sets the json.
_base_ = ['./mask-rcnn_r50_fpn_voc.py']

pseudo_ann_file = 'work_dirs/irn_voc/pseudo_labels/train.json'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='COCOInstanceDataset',
        data_root='',
        ann_file=pseudo_ann_file,
        data_prefix=dict(img=_base_.data_root + 'JPEGImages/'),
        metainfo=dict(classes=('aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car',
                               'cat', 'chair', 'cow', 'diningtable', 'dog', 'horse',
                               'motorbike', 'person', 'pottedplant', 'sheep', 'sofa',
                               'train', 'tvmonitor')),
        supervision='mask',
        pipeline=[
            dict(type='mmdet.LoadImageFromFile'),
            dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
            dict(type='LoadInstanceScores'),
            dict(type='mmdet.Resize', scale=_base_.image_scale, keep_ratio=True),
            dict(type='mmdet.RandomFlip', prob=0.5),
            dict(type='PackWeakInputs'),
        ]))
