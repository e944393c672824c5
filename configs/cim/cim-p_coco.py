# CIM with point labels on COCO (CIM-p): each instance's point replaces PRM's peaks as the
# cluster centre (CIM's point_level_label_assign); no PRM step.
#   python tools/pipeline.py configs/cim/cim-p_coco.py
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/cim_r50.py']
supervision = 'point'  # AssignProposalClusters then clusters around the instance points

wsis_pipeline = dict(
    teacher_steps=[dict(name='cim')],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_coco.py')
