# Stage C on the synthetic data: the same stock Mask R-CNN as the fully-supervised ceiling,
# trained on the images of the train split with the labels of a pseudo-label COCO json
# (per-instance scores are loaded for heads that weigh the mask loss by them), evaluated on
# val GT. tools/pipeline.py points `labels` at the teacher's output; by hand:
#   python tools/train.py configs/refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py \
#       --cfg-options train_dataloader.dataset.labels=PSEUDO_JSON
_base_ = ['./mask-rcnn_lite0_fpn_synthetic.py']

train_dataloader = dict(dataset=dict(labels='work_dirs/irn_synthetic/pseudo_labels/train.json'))
