# BESTIE-P on VOC 2012 train_aug, one point per instance (clicked points, or the point view's most
# interior pixel of each GT instance), centres at the points; flip at test (the paper's).
#   python tools/pipeline.py configs/bestie/bestie-p_voc.py
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/bestie_hrnet48.py']
supervision = 'point'

model = dict(supervision='point', test_flip=True)
train_pipeline = [
    dict(type='mmdet.LoadImageFromFile', to_float32=True),
    dict(type='LoadPseudoSegMap'),
    dict(type='mmdet.PhotoMetricDistortion'),
    dict(type='mmdet.RandomResize', scale=(4 * _base_.short_side, _base_.short_side),
         ratio_range=(0.7, 1.3), keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=_base_.crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=_base_.crop_size, pad_val=dict(img=0, seg=255)),
    dict(type='LoadProjectedPoints', source='instances'),
    dict(type='PackWeakInputs', meta_keys=_base_.meta_keys),
]
train_dataloader = dict(dataset=dict(
    pseudo_seg_dir='work_dirs/irn_voc/pseudo_labels/wsss', pipeline=train_pipeline))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='mmwsis::irn/cam_voc.py'),
        dict(name='wsss', config='mmwsis::irn/irn_voc.py',
             options=dict(pseudo_label=dict(name='wsss', labeler=dict(
                 _delete_=True, type='IRNSemanticLabeler', bg_threshold=0.25))),
             inputs={'model.init_cfg.checkpoint': 'cam.checkpoint',
                     'train_dataloader.dataset.pseudo_seg_dir': 'cam.pseudo_labels'}),
        dict(name='bestie', inputs={
            'train_dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_voc.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_voc.py')
