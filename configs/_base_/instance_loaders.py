# The loaders of an instance segmenter: the refinement stage (C) and the fully-supervised
# ceiling. Train on the train split, validate and test on the val split with GT masks,
# scored by the data's instance metric (`instance_metric`). mmdet's 1333x800 resize;
# configs for small images set their own pipelines. Instance scores are loaded for heads
# that weigh the mask loss by them (1.0 for GT).
supervision = 'mask'
image_scale = (1333, 800)

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='LoadInstanceScores'),
    dict(type='mmdet.Resize', scale=image_scale, keep_ratio=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='PackWeakInputs'),
]
test_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='mmdet.Resize', scale=image_scale, keep_ratio=True),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='PackWeakInputs'),
]
# An epoch is at least 100 labelled images of an average class (ClassCoverageSampler), counted
# on the labels it trains on (the pseudo labels for a weak method, the GT for the ceiling).
train_dataloader = dict(
    batch_size=2,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='ClassCoverageSampler', min_images_per_class=100, shuffle=True),
    batch_sampler=dict(type='mmdet.AspectRatioBatchSampler'),
    dataset=dict(type='DataSplit', split='train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='DataSplit', split='val', test_mode=True, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='DataMetric')
test_evaluator = val_evaluator
