# PASCAL VOC 2012 + SBD: train on train_aug (10,582 images; instance masks on the 1,464 of
# VOC train score the pseudo labels), evaluate on val (1,449) with GT masks. Data settings
# as in ./synthetic.py.
data_root = 'data/VOCdevkit/VOC2012/'
classes = ('aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair',
           'cow', 'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant',
           'sheep', 'sofa', 'train', 'tvmonitor')
num_classes = len(classes)
data_splits = dict(
    train=dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/train_aug.txt',
               data_prefix=dict(img='JPEGImages/')),
    val=dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/val.txt',
             data_prefix=dict(img='JPEGImages/')))
instance_metric = dict(type='InstanceMAPMetric', mode='voc')
