# BESTIE-P on the synthetic data, point labels: each instance's point (the point view's most
# interior pixel of the instance) replaces PAM's peaks; centres are Gaussians at the points
# and the self-refinement groups the WSSS pixels to them by the predicted offsets. No PAM
# step; the WSSS maps still come from IRNet on image labels.
#   python tools/pipeline.py configs/bestie/bestie-p_synthetic.py
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/bestie_lite0.py']
supervision = 'point'

model = dict(supervision='point', test_flip=True)  # BESTIE's point setting flips at test
# the WSSS maps: the teacher trains on them, and its labeler groups their pieces
wsss_dir = 'work_dirs/irn_synthetic/pseudo_labels/wsss'
train_dataloader = dict(dataset=dict(
    pseudo_seg_dir=wsss_dir,
    pipeline=_base_.point_train_pipeline))
pseudo_label = dict(dataloader=dict(dataset=dict(pseudo_seg_dir=wsss_dir)))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='mmwsis::irn/cam_synthetic.py', shared=True),
        dict(name='wsss', config='mmwsis::irn/irn_synthetic.py', shared=True,
             options=dict(pseudo_label=dict(name='wsss', labeler=dict(
                 _delete_=True, type='IRNSemanticLabeler', bg_threshold=0.25, log2_steps=5))),
             inputs={'model.init_cfg.checkpoint': 'cam.checkpoint',
                     'train_dataloader.dataset.pseudo_seg_dir': 'cam.pseudo_labels'}),
        dict(name='bestie', inputs={
            'train_dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels',
            'pseudo_label.dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
