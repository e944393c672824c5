# CIM with point labels on VOC (CIM-p): each instance's point replaces PRM's peaks as the
# cluster centre (CIM's point_level_label_assign); no PRM step.
#   python tools/pipeline.py configs/cim/cim-p_voc.py
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/cim_r50.py']
supervision = 'point'  # AssignProposalClusters then clusters around the instance points

wsis_pipeline = dict(
    teacher_steps=[dict(name='cim')],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_voc.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_voc.py')
