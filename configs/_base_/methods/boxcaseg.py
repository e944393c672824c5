# BoxCaseg's method, for any backbone: the class-agnostic box-to-mask network (every
# backbone level upsampled to stride 4 and concatenated; the weak box head and the salient
# head), its box and salient samples, and its proxy-mask labeler. ./boxcaseg_hrnet48.py
# (the paper's) and ./boxcaseg_lite0.py (CPUs) add the backbone and the schedule.
#   training: every GT box of the train split (BoxInstanceDataset, box supervision) cropped
#   around a jittered box at 288 px, and the salient images (the config's `salient` split)
#   resized to 320, cropped to 288 and flipped vertically, shuffled together;
#   labelling: each GT box cropped as it is at 320 px, its salient map pasted back.
_base_ = ['../teacher_runtime.py']

supervision = 'box'
crop = 288
meta_keys = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'image_labels', 'salient',
             'supervision')

model = dict(
    type='BoxCaseg',
    alpha=0.7,  # VOC's; COCO's is 0.6
    pairwise_weight=0.05,
    crop_size=320,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32,
        pad_seg=True,
        seg_pad_value=255))

box_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=True),
    dict(type='JitteredBoxCrop', size=crop, shift=0.25, scale_range=(0.5, 1.5)),
    dict(type='PackWeakInputs', meta_keys=meta_keys),
]
salient_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadSaliencyMask'),
    dict(type='mmdet.Resize', scale=(320, 320), keep_ratio=False),
    dict(type='mmdet.RandomCrop', crop_size=(crop, crop)),
    dict(type='mmdet.RandomFlip', prob=0.5, direction='vertical'),
    dict(type='PackWeakInputs', meta_keys=meta_keys),
]
train_dataloader = dict(
    batch_size=8,
    sampler=dict(_delete_=True, type='MixedRatioSampler', ratio=None, shuffle=True),
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        ignore_keys='classes',
        datasets=[
            dict(type='BoxInstanceDataset', dataset=dict(type='DataSplit', split='train'),
                 pipeline=box_pipeline),
            dict(type='DataSplit', split='salient', pipeline=salient_pipeline),
        ]))

# The whole image with its GT boxes: the model crops each box itself.
teacher_pipeline = [dict(type='mmdet.LoadImageFromFile'),
                    dict(type='mmdet.LoadAnnotations', with_bbox=True),
                    dict(type='PackWeakInputs')]
pseudo_label = dict(
    labeler=dict(type='BoxCasegLabeler', threshold=0.5, head='salient'),
    dataloader=dict(dataset=dict(pipeline=teacher_pipeline)))
