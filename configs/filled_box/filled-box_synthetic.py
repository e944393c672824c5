# Each GT box, filled, as its pseudo mask, box labels: the lower bound of box-supervised
# segmentation, beside BoxCaseg on the same boxes, refinement and metric. Nothing is
# trained before the pseudo labels.
#   python tools/pipeline.py configs/filled_box/filled-box_synthetic.py   (all stages)
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/box_prior.py']

model = dict(prior='filled')
wsis_pipeline = dict(
    teacher_steps=[dict(name='filled_box', train=False)],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_confidence_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
