# BESTIE's step for image labels on the synthetic data: the PAM classifier, trained on image
# labels only. BESTIE's PAM is VGG-16 with three extra 3x3 conv + peak-attention blocks; here
# IRNet's CAM network and recipe (cam_synthetic.py: Lite0, 10 epochs, SGD, the new layers at
# 10x) carry the same three blocks, as wide as the backbone's map (BESTIE: 512 on VGG's
# 512). Stage B writes each training image's peak points (work_dir/pseudo_labels/
# peaks.json) and scores them against the train GT (a point is right inside an instance of
# its class, one point per instance).
_base_ = [
    '../_base_/datasets/synthetic.py',
    '../_base_/methods/irn_cam_lite0.py',
    '../_base_/cam_evaluation.py',
]

model = dict(type='PAMClassifier', extra_channels=(320, 320, 320), alpha=0.7)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'extra': dict(lr_mult=10.0)}))
val_dataloader = dict(dataset=dict(indices=100))
test_dataloader = val_dataloader

# All peaks >= 0.1 are written; BESTIE trains on those > 0.7 (LoadProjectedPoints), which
# the summary scores apart (score_thr).
pseudo_label = dict(
    name='peaks',
    score_thr=0.7,
    labeler=dict(type='PAMPointLabeler', smooth=3, nms_window=15, window_short_side=321,
                 top_k=25, min_score=0.1),
    dataloader=dict(dataset=dict(pipeline=_base_.teacher_pipeline)))
