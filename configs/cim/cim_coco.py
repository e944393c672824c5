# CIM as in the paper on COCO (image labels): PRM peaks -> clusters -> CIM -> pseudo labels
# -> Mask R-CNN R-50-FPN. COB proposals in <data_root>/COB/.
#   python tools/pipeline.py configs/cim/cim_coco.py
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/cim_r50.py']

train_dataloader = dict(
    dataset=dict(pseudo_points_file='work_dirs/prm_coco/pseudo_labels/peaks.json'))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='prm', config='mmwsis::cim/prm_coco.py'),
        dict(name='cim', inputs={'train_dataloader.dataset.pseudo_points_file':
                                 'prm.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_coco.py')
