# CIM with point labels on the synthetic data: each instance's point (the point view's
# most interior pixel of the instance) replaces PRM's peaks as the cluster centre, as
# CIM's point_level_label_assign; no PRM step.
#   python tools/pipeline.py configs/cim/cim-p_synthetic.py
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/cim_lite0.py']
supervision = 'point'  # AssignProposalClusters then clusters around the instance points

wsis_pipeline = dict(
    teacher_steps=[dict(name='cim')],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
