# CIM's step 1 on the synthetic data: PRM's peak classifier, trained on image labels only.
# CIM shipped PRM weights without a training script; this trains one: IRNet's CAM network
# and recipe (cam_synthetic.py) with PRM's peak stimulation as the image score. Stage B
# writes the peaks of each training image's class maps (work_dir/pseudo_labels/peaks.json)
# and scores them against the train GT (a point is right inside an instance of its class,
# one point per instance).
_base_ = [
    '../_base_/datasets/synthetic.py',
    '../_base_/methods/irn_cam_lite0.py',
    '../_base_/cam_evaluation.py',
]

model = dict(type='PeakResponseNet', peak_window=3)  # PRM's window
val_dataloader = dict(dataset=dict(indices=100))
test_dataloader = val_dataloader

# Peaks: local maxima of the class maps (3 px at the original size: the maxima of the
# upsampled stride-16 map), above the map's median (PRM's filter) and above half the
# class's strongest peak (PRM's absolute threshold of 10 is in its logits' scale).
pseudo_label = dict(
    name='peaks',
    labeler=dict(type='PeakPointLabeler', window=3, rel_thr=0.5),
    dataloader=dict(dataset=dict(pipeline=_base_.teacher_pipeline)))
