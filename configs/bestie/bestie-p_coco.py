# BESTIE-P on COCO 2017 train, one point per instance (clicked points, or the point view's most
# interior pixel of each GT instance), centres at the points; flip at test (the paper's).
#   python tools/pipeline.py configs/bestie/bestie-p_coco.py
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/bestie_hrnet48.py']
supervision = 'point'

model = dict(supervision='point', test_flip=True)
# the WSSS maps: the teacher trains on them, and its labeler groups their pieces
wsss_dir = 'work_dirs/irn_coco/pseudo_labels/wsss'
train_dataloader = dict(dataset=dict(
    pseudo_seg_dir=wsss_dir,
    pipeline=_base_.point_train_pipeline))
pseudo_label = dict(dataloader=dict(dataset=dict(pseudo_seg_dir=wsss_dir)))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='mmwsis::irn/cam_coco.py', shared=True),
        dict(name='wsss', config='mmwsis::irn/irn_coco.py', shared=True,
             options=dict(pseudo_label=dict(name='wsss', labeler=dict(
                 _delete_=True, type='IRNSemanticLabeler', bg_threshold=0.25))),
             inputs={'model.init_cfg.checkpoint': 'cam.checkpoint',
                     'train_dataloader.dataset.pseudo_seg_dir': 'cam.pseudo_labels'}),
        dict(name='bestie', inputs={
            'train_dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels',
            'pseudo_label.dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_coco.py')
