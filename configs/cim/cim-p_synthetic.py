# CIM with point labels on the synthetic data: each instance's point (the point view's
# most interior pixel of the instance) replaces PRM's peaks as the cluster centre, as
# CIM's point_level_label_assign; no PRM step.
#   python tools/pipeline.py configs/cim/cim-p_synthetic.py
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/cim_lite0.py']
supervision = 'point'
train_pipeline = _base_.train_pipeline
train_pipeline[2]['points'] = 'instance_points'
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

wsis_pipeline = dict(
    teacher_steps=[dict(name='cim')],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
