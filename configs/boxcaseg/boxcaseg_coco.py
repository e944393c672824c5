# BoxCaseg's COCO variant on COCO 2017 train, box labels: as ./boxcaseg_voc.py, with the
# COCO settings of SEEDS.md §2 (b): the salient head's FCN share alpha 0.6, SGD lr 0.008,
# and 0.6875 of every epoch COCO boxes, the rest DUT-TR-Single images (MixedRatioSampler;
# the small salient set repeats).
#   tools/dist_train.sh configs/boxcaseg/boxcaseg_coco.py 2
#   python tools/pipeline.py configs/boxcaseg/boxcaseg_coco.py
# Not reproduced: the original drops heavily overlapping COCO instances by an id list
# (overlap_anno_id.json) it does not say how it made; every non-crowd box trains here.
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/boxcaseg_hrnet48.py']

data_splits = dict(salient=dict(
    type='SalientObjectDataset', data_root='data/DUT-TR-Single/',
    img_dir='DUT-TR-Single-Image', mask_dir='DUT-TR-Single-Mask', list_file=None))

model = dict(alpha=0.6)
# COCO's metainfo has a palette, which the salient images do not: the two still concatenate
train_dataloader = dict(sampler=dict(ratio=0.6875),
                        dataset=dict(ignore_keys=['classes', 'palette']))
# SEEDS.md gives no COCO length. One epoch of COCO's ~860k boxes at this ratio is ~39k
# iterations of 32, as many as VOC's 40 epochs (~44k): one epoch.
max_epochs = 1
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(optimizer=dict(lr=0.008))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=True, begin=0,
                        end=max_epochs, convert_to_iter_based=True)]

wsis_pipeline = dict(
    teacher_steps=[dict(name='boxcaseg')],
    refine_config='mmwsis::refine/mask-rcnn_r50_fpn_confidence_coco.py',
    ceiling_config='mmwsis::refine/mask-rcnn_r50_fpn_coco.py')
