# Stage C on VOC for box-supervised pseudo labels whose masks carry a confidence
# (BoxCaseg's proxy masks): the reference Mask R-CNN R-50-FPN, its mask loss ignoring a
# mask below `min_confidence` and weighing the others by their confidence, as
# ./mask-rcnn_lite0_fpn_confidence_synthetic.py (where the rule was chosen, on train GT).
_base_ = ['./mask-rcnn_r50_fpn_pseudo_voc.py']

model = dict(roi_head=dict(mask_head=dict(
    type='mmwsis.ConfidenceWeightedMaskHead', min_confidence=0.6, weight_by_confidence=True)))
