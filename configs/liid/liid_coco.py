# LIID on COCO 2017 train (image labels = categories present), as liid_voc.py; proposals
# are MCG's precomputed COCO segments, one <img_id>.mat per image in `mcg_dir`.
_base_ = ['./liid_voc.py']

data_root = 'data/coco/'
num_classes = 80
mcg_dir = data_root + 'MCG/train2017/'
proposal_store = dict(root=data_root + 'proposals/mcg_100', source='mat',
                      source_dir=mcg_dir, max_proposals=100)
coco_train = dict(type='COCOInstanceDataset', data_root=data_root,
                  ann_file='annotations/instances_train2017.json',
                  data_prefix=dict(img='train2017/'))

train_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposals', store=proposal_store),
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.Resize', scale=_base_.image_scale, keep_ratio=False),
        dict(type='mmdet.RandomFlip', prob=0.5)]),
    dict(type='PackWeakInputs'),
]
teacher_pipeline = [
    dict(type='mmdet.LoadImageFromFile'),
    dict(type='LoadProposals', store=proposal_store),
    dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.Resize', scale=_base_.image_scale, keep_ratio=False)]),
    dict(type='PackWeakInputs', meta_keys=_base_.teacher_pipeline[-1]['meta_keys']),
]
model = dict(num_classes=num_classes)
train_dataloader = dict(dataset=dict(_delete_=True, **coco_train, supervision='image',
                                     pipeline=train_pipeline))
pseudo_label = dict(dataloader=dict(dataset=dict(
    _delete_=True, **coco_train, supervision='image', test_mode=True,
    pipeline=teacher_pipeline)))

wsis_pipeline = dict(
    teacher_steps=[dict(name='liid', config='./liid_coco.py')],
    refine_config='../refine/mask-rcnn_r50_fpn_pseudo_coco.py',
    ceiling_config='../refine/mask-rcnn_r50_fpn_coco.py')
