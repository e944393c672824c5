# BESTIE as in the paper, for any data: HRNet-W48 (../models/hrnetv2_w48.py, ImageNet
# weights read from disk), its stride-4 48-channel branch alone (pose-HRNet's
# multi_scale_output=False), three 3x3 256 + 1x1 heads; resize to a 480 px shorter side,
# 0.7-1.3 rescale, crop 416, flip; Adam 5e-5 for 50,000 iterations of 16.
# configs/bestie/bestie*_{voc,coco}.py add the data and the WSSS / PAM steps.
_base_ = ['../teacher_runtime.py', '../schedules/bestie_adam_50k.py',
          '../models/hrnetv2_w48.py']

short_side = 480
crop_size = (416, 416)
meta_keys = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
             'flip_direction', 'image_labels', 'supervision', 'pseudo_points',
             'pseudo_point_labels')

model = dict(
    type='BESTIE',
    num_classes=20,  # follows the data's classes (mmwsis.utils.apply_data_settings)
    in_channels=(48, ),
    supervision='image',
    decoder_channels=48,
    head_channels=256,
    sigma=6.0,
    min_area=50,
    self_refinement=True,
    refine_thr=0.3,
    nms_window=41,
    beta=3.0,
    max_instances=5,
    test_short_side=short_side,
    test_flip=False,
    size_divisor=32,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32,
        pad_seg=True,
        seg_pad_value=255),
    backbone=dict(_base_.hrnetv2_w48, multiscale_output=False))

augment = [
    dict(type='mmdet.LoadImageFromFile', to_float32=True),
    dict(type='LoadPseudoSegMap'),
    dict(type='mmdet.PhotoMetricDistortion'),
    dict(type='mmdet.RandomResize', scale=(4 * short_side, short_side),
         ratio_range=(0.7, 1.3), keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=crop_size, pad_val=dict(img=0, seg=255)),
]
# image labels: PAM's peaks above BESTIE's 0.7; points: the point view's instance points
train_pipeline = [*augment,
                  dict(type='LoadProjectedPoints', source='pseudo_points', min_score=0.7),
                  dict(type='PackWeakInputs', meta_keys=meta_keys)]
point_train_pipeline = [*augment, dict(type='LoadProjectedPoints', source='instances'),
                        dict(type='PackWeakInputs', meta_keys=meta_keys)]
# The teacher scales the image itself (test_short_side): it sees it at its own size, with
# the WSSS map its pieces are grouped on (the pseudo-label dataset's `pseudo_seg_dir`).
teacher_pipeline = [dict(type='mmdet.LoadImageFromFile'), dict(type='LoadPseudoSegMap'),
                    dict(type='PackWeakInputs')]
train_dataloader = dict(batch_size=16, num_workers=4, sampler=dict(
    _delete_=True, type='InfiniteSampler', shuffle=True), dataset=dict(pipeline=train_pipeline))
log_processor = dict(by_epoch=False)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=5000, max_keep_ckpts=1))

pseudo_label = dict(
    # semantic='wsss', as bestie_lite0.py: BESTIE's own is 'network'
    labeler=dict(type='BESTIELabeler', thr=0.1, nms_window=41, beta=3.0, min_area=50,
                 semantic='wsss'),
    dataloader=dict(num_workers=2, dataset=dict(pipeline=teacher_pipeline)))
