# BoxCaseg as in the paper on VOC 2012 train_aug, box labels: the class-agnostic network
# (HRNetV2-W48) trained on every train_aug GT box and the DUT-TR-Single salient images,
# shuffled together, 40 epochs; its proxy masks with their box-IoU confidences -> Mask
# R-CNN R-50-FPN (the confidence-weighted mask loss).
#   tools/dist_train.sh configs/boxcaseg/boxcaseg_voc.py 2   (the teacher, 2 GPUs x 16)
#   python tools/pipeline.py configs/boxcaseg/boxcaseg_voc.py   (all stages, one table)
# Files to provide (nothing is downloaded): checkpoints/hrnetv2_w48_imagenet.pth, and
# DUT-TR-Single (the authors' 7,991 DUTS-TR images with one salient object) as a folder of
# JPEG images and one of same-named PNG masks (0 background, 255 object). Other salient
# data (DUTS-TR itself: img_dir='DUTS-TR-Image', mask_dir='DUTS-TR-Mask') is the same keys.
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/boxcaseg_hrnet48.py']

data_splits = dict(salient=dict(
    type='SalientObjectDataset', data_root='data/DUT-TR-Single/',
    img_dir='DUT-TR-Single-Image', mask_dir='DUT-TR-Single-Mask', list_file=None))

wsis_pipeline = dict(
    teacher_steps=[dict(name='boxcaseg')],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_confidence_voc.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_voc.py')
