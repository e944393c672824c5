# BoxCaseg on the synthetic data, box labels: the class-agnostic box-to-mask network
# trained on the train split's boxes and the synthetic salient objects, then its proxy
# masks (scored by box IoU) as the pseudo labels.
#   python tools/pipeline.py configs/boxcaseg/boxcaseg_synthetic.py   (all stages, one table)
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/boxcaseg_lite0.py']

# class-agnostic salient objects on the same kind of background (BoxCaseg's DUTS-TR)
data_splits = dict(salient=dict(
    type='SalientObjectDataset', img_dir='SalientObjects/JPEGImages',
    mask_dir='SalientObjects/Masks', list_file='SalientObjects/list.txt'))

# The proxy masks' confidences reach Mask R-CNN as the annotations' scores.
wsis_pipeline = dict(
    teacher_steps=[dict(name='boxcaseg')],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
