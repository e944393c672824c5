# LIID on VOC 2012 train_aug (10,582 images, image labels only), MCG proposals in
# <data_root>/MCG/, refined by Mask R-CNN R-50-FPN.
#   python tools/pipeline.py configs/liid/liid_voc.py
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/liid_r50.py']

wsis_pipeline = dict(
    teacher_steps=[dict(name='liid')],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_voc.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_voc.py')
