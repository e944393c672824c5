# BESTIE's PAM classifier on VOC 2012 train_aug, image labels only: IRNet's CAM network and
# recipe on ResNet-50 (cam_voc.py) with BESTIE's three 512-channel 3x3 conv + peak-attention
# blocks (BESTIE's PAM is VGG-16 'D1'); stage B writes each image's peak points (peaks.json).
_base_ = ['../_base_/datasets/voc.py', '../_base_/methods/irn_cam_r50.py']

model = dict(type='PAMClassifier', extra_channels=(512, 512, 512), alpha=0.7)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'extra': dict(lr_mult=10.0)}))
pseudo_label = dict(
    name='peaks',
    score_thr=0.7,
    labeler=dict(_delete_=True, type='PAMPointLabeler', smooth=3, nms_window=15,
                 window_short_side=321, top_k=25, min_score=0.1),
    dataloader=dict(dataset=dict(pipeline=_base_.teacher_pipeline)))
