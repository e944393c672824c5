# IRNet step 2 as in the paper on VOC 2012 train_aug, refined by Mask R-CNN R-50-FPN.
#   python tools/pipeline.py configs/irn/irn_voc.py
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/irn_r50.py']

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='mmwsis::irn/cam_voc.py'),
        dict(name='irn', inputs={'model.init_cfg.checkpoint': 'cam.checkpoint',
                                 'train_dataloader.dataset.pseudo_seg_dir': 'cam.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_voc.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_voc.py')
