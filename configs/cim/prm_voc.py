# CIM's PRM on VOC 2012 train_aug, trained from image labels (CIM shipped only weights):
# IRNet's CAM recipe on ResNet-50 (cam_voc.py) with PRM's peak stimulation; stage B writes
# the peaks of each image's classes (work_dir/pseudo_labels/peaks.json).
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/irn_cam_r50.py',
          '../_base_/cam_evaluation.py']

model = dict(type='PeakResponseNet', peak_window=3)
val_dataloader = dict(num_workers=2, dataset=dict(ann_file='ImageSets/Segmentation/train.txt'))
test_dataloader = val_dataloader
pseudo_label = dict(
    name='peaks',
    labeler=dict(_delete_=True, type='PeakPointLabeler', window=3, rel_thr=0.5),
    dataloader=dict(dataset=dict(pipeline=_base_.teacher_pipeline)))
