# GrabCut inside each GT box (OpenCV, 5 rounds) as the pseudo masks, box labels: the
# classic baseline of box-supervised segmentation, beside BoxCaseg on the same boxes,
# refinement and metric. Nothing is trained before the pseudo labels.
#   python tools/pipeline.py configs/grabcut/grabcut_synthetic.py   (all stages, one table)
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/box_prior.py']

model = dict(prior='grabcut')
wsis_pipeline = dict(
    teacher_steps=[dict(name='grabcut', train=False)],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_confidence_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
