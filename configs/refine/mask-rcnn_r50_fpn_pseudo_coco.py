# Stage C on COCO: Mask R-CNN R-50-FPN trained on the train2017 images with the labels of a
# pseudo-label json, evaluated with mmdet's CocoMetric on val2017. tools/pipeline.py points
# `labels` at the teacher's output.
_base_ = ['./mask-rcnn_r50_fpn_coco.py']

train_dataloader = dict(dataset=dict(labels='work_dirs/irn_coco/pseudo_labels/train.json'))
