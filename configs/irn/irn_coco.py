# IRNet step 2 on COCO 2017 train, as irn_voc.py; refined and evaluated with mmdet's
# Mask R-CNN R-50-FPN and CocoMetric on val2017.
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/irn_r50.py']

model = dict(init_cfg=dict(checkpoint='work_dirs/cam_coco/epoch_5.pth'))
train_dataloader = dict(dataset=dict(pseudo_seg_dir='work_dirs/cam_coco/pseudo_labels/ir_labels'))
wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='mmwsis::irn/cam_coco.py'),
        dict(name='irn', inputs={'model.init_cfg.checkpoint': 'cam.checkpoint',
                                 'train_dataloader.dataset.pseudo_seg_dir': 'cam.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_coco.py')
