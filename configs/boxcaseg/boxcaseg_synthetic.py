# BoxCaseg on the synthetic data, box labels: the class-agnostic box-to-mask network
# trained on the train split's boxes and the synthetic salient objects, then its proxy
# masks (scored by box IoU) as the pseudo labels.
#   python tools/pipeline.py configs/boxcaseg/boxcaseg_synthetic.py   (all stages, one table)
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/boxcaseg_lite0.py']

# class-agnostic salient objects on the same kind of background (BoxCaseg's DUTS-TR)
data_splits = dict(salient=dict(
    type='SalientObjectDataset', img_dir='SalientObjects/JPEGImages',
    mask_dir='SalientObjects/Masks', list_file='SalientObjects/list.txt'))

# Crop sides follow the objects. BoxCaseg's 288 (train) and 320 (labelling) are 1.5-2x a
# VOC object (~150-200 px boxes); the synthetic train boxes' longer side is 35 px at the
# median and 48 / 66 px at the 90th percentile (shapes / photo presets), so 288 would
# upsample them 6-8x for no detail at 5x the cost of 128: 128 for training (2-2.7x the
# 90th percentile), the salient images resized to 144 first (BoxCaseg's 320 / 288), and
# 160 (the paper's 320 / 288 ratio, rounded up to a multiple of 32) for labelling.
crop = 128
box_pipeline = [dict(t, size=crop) if t.type == 'JitteredBoxCrop' else t
                for t in _base_.box_pipeline]
salient_pipeline = [
    dict(t, scale=(144, 144)) if t.type == 'mmdet.Resize' else
    dict(t, crop_size=(crop, crop)) if t.type == 'mmdet.RandomCrop' else t
    for t in _base_.salient_pipeline]
train_dataloader = dict(dataset=dict(datasets=[
    dict(_base_.train_dataloader.dataset.datasets[0], pipeline=box_pipeline),
    dict(_base_.train_dataloader.dataset.datasets[1], pipeline=salient_pipeline)]))
model = dict(crop_size=160)
# The box head labels here, not BoxCaseg's salient head: chosen on the first 80 train
# images' GT (tools/analysis_tools/ablation.py, the page's ablations). The same model's
# box-head masks score pseudo mAP50 82.7 there against the salient head's 51.3 (GT
# instances' mIoU 70.2 against 53.1), and 66.0 against 34.1 on the photographic scenes:
# 200 salient images, whole scenes with the object in the middle, teach the salient head
# less about a tight box crop than the train split's boxes teach the box head. The VOC
# and COCO configs keep the salient head (7,991 DUT-TR-Single images).
pseudo_label = dict(labeler=dict(head='weak'))

# The proxy masks' confidences reach Mask R-CNN as the annotations' scores.
wsis_pipeline = dict(
    teacher_steps=[dict(name='boxcaseg')],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_confidence_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
