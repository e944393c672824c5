# COCO 2017 instances; image labels are the categories present in each image. Reported with
# mmdet's CocoMetric (segm AP, AP50, AP75) against the val split's json. Data settings as in
# ./synthetic.py.
data_root = 'data/coco/'
classes = (
    'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
    'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat',
    'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack',
    'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball',
    'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket',
    'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
    'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair',
    'couch', 'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse',
    'remote', 'keyboard', 'cell phone', 'microwave', 'oven', 'toaster', 'sink',
    'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier',
    'toothbrush')
num_classes = len(classes)
data_splits = dict(
    train=dict(type='COCOInstanceDataset', ann_file='annotations/instances_train2017.json',
               data_prefix=dict(img='train2017/')),
    val=dict(type='COCOInstanceDataset', ann_file='annotations/instances_val2017.json',
             data_prefix=dict(img='val2017/')))
instance_metric = dict(type='mmdet.CocoMetric', metric=['bbox', 'segm'])
