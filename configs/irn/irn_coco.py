# IRNet step 2 on COCO 2017 train, as irn_voc.py; refined and evaluated with mmdet's
# Mask R-CNN R-50-FPN and CocoMetric on val2017.
_base_ = ['./irn_voc.py']

data_root = 'data/coco/'
num_classes = 80
cam_work_dir = 'work_dirs/cam_coco'
coco_train = dict(type='COCOInstanceDataset', data_root=data_root,
                  ann_file='annotations/instances_train2017.json',
                  data_prefix=dict(img='train2017/'))
model = dict(num_classes=num_classes,
             init_cfg=dict(checkpoint=cam_work_dir + '/epoch_5.pth'))
train_dataloader = dict(dataset=dict(
    _delete_=True, **coco_train, supervision='image',
    pseudo_seg_dir=cam_work_dir + '/pseudo_labels/ir_labels', pipeline=_base_.irn_pipeline))
pseudo_label = dict(dataloader=dict(dataset=dict(
    _delete_=True, **coco_train, supervision='image', test_mode=True,
    pipeline=_base_.teacher_pipeline)))
wsis_pipeline = dict(
    teacher_steps=[
        dict(name='cam', config='./cam_coco.py',
             outputs=dict(cam_checkpoint='epoch_5.pth',
                          ir_label_dir='pseudo_labels/ir_labels')),
        dict(name='irn', config='./irn_coco.py',
             inputs=dict(cam_checkpoint='model.init_cfg.checkpoint',
                         ir_label_dir='train_dataloader.dataset.pseudo_seg_dir')),
    ],
    refine_config='../refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='../refine/mask-rcnn_r50_fpn_coco.py')
