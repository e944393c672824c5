# IRNet step 1 on the synthetic data: the CAM teacher, trained on image labels only.
# At the end of training its PseudoLabelHook writes IRNet's inter-pixel relation labels
# (confident fg / bg from CAMs, dense-CRF refined) to work_dir/pseudo_labels/ir_labels/.
_base_ = [
    '../_base_/datasets/synthetic.py',
    '../_base_/methods/irn_cam_lite0.py',
    '../_base_/cam_evaluation.py',
]

# CAM mIoU on the first 100 train images (keeps the demo short), at several thresholds.
val_dataloader = dict(dataset=dict(indices=100))
val_evaluator = dict(bg_thresholds=(0.15, 0.1, 0.2, 0.3))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

# Stage B for this teacher: relation labels for the IRN step.
pseudo_label = dict(
    name='ir_labels',
    labeler=dict(type='IRLabeler', fg_threshold=0.30, bg_threshold=0.05, refine='crf'),
    dataloader=dict(dataset=dict(pipeline=_base_.teacher_pipeline)))
