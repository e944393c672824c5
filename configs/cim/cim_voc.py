# CIM as in the paper on VOC (image labels): PRM peaks -> clusters -> CIM -> pseudo labels
# -> Mask R-CNN R-50-FPN. COB proposals in <data_root>/COB/.
#   python tools/pipeline.py configs/cim/cim_voc.py
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/cim_r50.py']

train_dataloader = dict(
    dataset=dict(pseudo_points_file='work_dirs/prm_voc/pseudo_labels/peaks.json'))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='prm', config='mmwsis::cim/prm_voc.py'),
        dict(name='cim', inputs={'train_dataloader.dataset.pseudo_points_file':
                                 'prm.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_voc.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_voc.py')
