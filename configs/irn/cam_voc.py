# IRNet step 1 as in the paper, on VOC 2012 train_aug (10,582 images, image labels only).
_base_ = [
    '../_base_/datasets/voc.py',
    '../_base_/methods/irn_cam_r50.py',
    '../_base_/cam_evaluation.py',
]

# CAM mIoU on VOC train's 1,464 images with GT, as the paper reports it.
val_dataloader = dict(num_workers=2,
                      dataset=dict(ann_file='ImageSets/Segmentation/train.txt'))
test_dataloader = val_dataloader
