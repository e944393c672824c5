# CAM quality (mIoU against GT class maps) measured on the training split, as IRNet reports
# it on VOC train. It is a report, not model selection: the last checkpoint is used
# whatever it says. Images without GT class maps (COCO json) are not scored.
cam_eval_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=False, with_seg=True,
         imdecode_backend='pillow'),
    dict(type='PackWeakInputs'),
]
val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='DataSplit', split='train', supervision='mask', test_mode=True,
                 pipeline=cam_eval_pipeline))
val_evaluator = dict(type='CAMMIoUMetric', bg_thresholds=(0.15, ))
val_cfg = dict(type='ValLoop')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
test_cfg = dict(type='TestLoop')
