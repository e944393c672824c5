# LIID on COCO 2017 train (image labels = categories present), as liid_voc.py: MCG's COCO
# train2017 segments, one <img_id>.mat per image, in <data_root>/MCG/.
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/liid_r50.py']

wsis_pipeline = dict(
    teacher_steps=[dict(name='liid')],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_coco.py')
