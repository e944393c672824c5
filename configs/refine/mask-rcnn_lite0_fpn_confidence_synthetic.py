# Stage C for box-supervised pseudo labels (BoxCaseg, the box baselines, BoxInst's
# predictions), whose masks carry a confidence (the IoU of the mask's box with its GT
# box): Mask R-CNN's mask loss ignores a mask below `min_confidence` and weighs the others
# by their confidence (ConfidenceWeightedMaskHead); the boxes and classes all train.
#   python tools/train.py configs/refine/mask-rcnn_lite0_fpn_confidence_synthetic.py \
#       --cfg-options train_dataloader.dataset.labels=PSEUDO_JSON
_base_ = ['./mask-rcnn_lite0_fpn_pseudo_synthetic.py']

# BoxCaseg's rule is not in its release. Chosen on the first 80 train images' GT of the
# shapes (tools/analysis_tools/confidence_rule.py on BoxCaseg's pseudo labels): the
# confidence ranks the masks' IoU with their GT well (Spearman 0.78), and 0.6 is the
# threshold at which "kept" best agrees with "IoU >= 0.5" (F1 84 %, against 73 % keeping
# all); it keeps 70 % of the masks, at a mean IoU of 65 % (53 % for all).
model = dict(roi_head=dict(mask_head=dict(
    type='mmwsis.ConfidenceWeightedMaskHead', min_confidence=0.6, weight_by_confidence=True)))
