# IRNet step 1 on COCO 2017 train (image labels = categories present), as cam_voc.py.
_base_ = ['./cam_voc.py']

data_root = 'data/coco/'
num_classes = 80
coco_train = dict(type='COCOInstanceDataset', data_root=data_root,
                  ann_file='annotations/instances_train2017.json',
                  data_prefix=dict(img='train2017/'))
model = dict(num_classes=num_classes)
train_dataloader = dict(dataset=dict(_delete_=True, **coco_train, supervision='image',
                                     pipeline=_base_.train_pipeline))
# CAM mIoU needs semantic GT maps, which COCO does not ship: no CAM validation here.
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None
train_cfg = dict(val_interval=1000)
pseudo_label = dict(dataloader=dict(dataset=dict(
    _delete_=True, **coco_train, supervision='image', test_mode=True,
    pipeline=_base_.teacher_pipeline)))
