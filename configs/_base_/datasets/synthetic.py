# The built-in synthetic scenes (`python tools/make_synthetic.py`): the VOC2012 layout, read
# by the real VOC reader. These are the config's data settings (mmwsis.utils.data_settings):
# every `dict(type='DataSplit', split=...)` and `dict(type='DataMetric')` of a config follows
# them, and every `num_classes` of its model is len(classes). For your own VOC-layout
# folder, set `data_root` and `classes` in one file (see the README, "Your own data").
data_root = 'data/synthetic/'
classes = ('disc', 'square', 'triangle', 'star', 'ring', 'cross')
num_classes = len(classes)
data_splits = dict(
    train=dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/train.txt',
               data_prefix=dict(img='JPEGImages/')),
    val=dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/val.txt',
             data_prefix=dict(img='JPEGImages/')))
# mAP^r at IoU 0.25/0.5/0.7/0.75, chainercv's VOC protocol (IRNet's and BESTIE's).
instance_metric = dict(type='InstanceMAPMetric', mode='voc')
