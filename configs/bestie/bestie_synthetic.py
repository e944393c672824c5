# BESTIE on the synthetic data, image labels: IRNet's semantic maps (the WSSS maps BESTIE
# never says how to make) and PAM's peak points -> BESTIE's centre / offset network with
# online self-refinement -> instance pseudo labels -> Mask R-CNN.
#   python tools/pipeline.py configs/bestie/bestie_synthetic.py     (all stages, one table)
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/bestie_lite0.py']

# Alone (`tools/train.py`), the inputs are where the IRNet and PAM steps leave them; the
# pipeline sets its own.
# the WSSS maps: the teacher trains on them, and its labeler groups their pieces
wsss_dir = 'work_dirs/irn_synthetic/pseudo_labels/wsss'
train_dataloader = dict(dataset=dict(
    pseudo_seg_dir=wsss_dir,
    pseudo_points_file='work_dirs/pam_synthetic/pseudo_labels/peaks.json'))
pseudo_label = dict(dataloader=dict(dataset=dict(pseudo_seg_dir=wsss_dir)))

# IRNet's step 2 writes semantic maps instead of instances (`options`): the random walk on
# its CAMs with the instance labeler's settings (irn_synthetic.py: bg 0.25, 32 steps). Both
# IRNet steps are `shared`: BESTIE-P on the same data reuses them (work_dirs/shared).
wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='mmwsis::irn/cam_synthetic.py', shared=True),
        dict(name='wsss', config='mmwsis::irn/irn_synthetic.py', shared=True,
             options=dict(pseudo_label=dict(name='wsss', labeler=dict(
                 _delete_=True, type='IRNSemanticLabeler', bg_threshold=0.25, log2_steps=5))),
             inputs={'model.init_cfg.checkpoint': 'cam.checkpoint',
                     'train_dataloader.dataset.pseudo_seg_dir': 'cam.pseudo_labels'}),
        dict(name='pam', config='mmwsis::bestie/pam_synthetic.py'),
        dict(name='bestie', inputs={
            'train_dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels',
            'pseudo_label.dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels',
            'train_dataloader.dataset.pseudo_points_file': 'pam.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
