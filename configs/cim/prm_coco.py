# CIM's PRM on COCO 2017 train (image labels = categories present), as prm_voc.py. COCO
# ships no semantic GT maps, so the peaks are judged by their point precision and recall.
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/irn_cam_r50.py']

model = dict(type='PeakResponseNet', peak_window=3)
pseudo_label = dict(
    name='peaks',
    labeler=dict(_delete_=True, type='PeakPointLabeler', window=3, rel_thr=0.5),
    dataloader=dict(dataset=dict(pipeline=_base_.teacher_pipeline)))
