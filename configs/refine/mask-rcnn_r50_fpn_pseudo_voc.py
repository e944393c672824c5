# Stage C on VOC: the reference Mask R-CNN R-50-FPN trained on the train_aug images with the
# labels of a pseudo-label json, evaluated on val GT (mAP^r 25/50/70/75). tools/pipeline.py
# points `labels` at the teacher's output.
_base_ = ['./mask-rcnn_r50_fpn_voc.py']

train_dataloader = dict(dataset=dict(labels='work_dirs/irn_voc/pseudo_labels/train.json'))
