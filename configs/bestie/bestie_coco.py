# BESTIE as in the paper on COCO 2017 train, image labels: IRNet's semantic maps (WSSS) and PAM's
# peaks -> BESTIE (HRNet-W48) -> instance pseudo labels -> Mask R-CNN R-50-FPN. The last
# checkpoint is used (the original picks its best on val).
#   python tools/pipeline.py configs/bestie/bestie_coco.py
# Maps of your own WSSS method (PNGs, 0 background, c+1 class c): drop the cam and wsss
# steps and the inputs from wsss, and point both pseudo_seg_dir keys below at their folder.
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/bestie_hrnet48.py']

# the WSSS maps: the teacher trains on them, and its labeler groups their pieces
wsss_dir = 'work_dirs/irn_coco/pseudo_labels/wsss'
train_dataloader = dict(dataset=dict(
    pseudo_seg_dir=wsss_dir,
    pseudo_points_file='work_dirs/pam_coco/pseudo_labels/peaks.json'))
pseudo_label = dict(dataloader=dict(dataset=dict(pseudo_seg_dir=wsss_dir)))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='mmwsis::irn/cam_coco.py', shared=True),
        dict(name='wsss', config='mmwsis::irn/irn_coco.py', shared=True,
             options=dict(pseudo_label=dict(name='wsss', labeler=dict(
                 _delete_=True, type='IRNSemanticLabeler', bg_threshold=0.25))),
             inputs={'model.init_cfg.checkpoint': 'cam.checkpoint',
                     'train_dataloader.dataset.pseudo_seg_dir': 'cam.pseudo_labels'}),
        dict(name='pam', config='mmwsis::bestie/pam_coco.py'),
        dict(name='bestie', inputs={
            'train_dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels',
            'pseudo_label.dataloader.dataset.pseudo_seg_dir': 'wsss.pseudo_labels',
            'train_dataloader.dataset.pseudo_points_file': 'pam.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_coco.py')
