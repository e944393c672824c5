# BoxCaseg (./boxcaseg.py) as in the paper: HRNetV2-W48's four branches at stride 4
# concatenated (720 channels), 288 px box crops and 320 px labelling crops, 40 epochs of
# SGD 0.004 with poly decay, 16 samples per GPU on 2 GPUs with SyncBN
# (`tools/dist_train.sh CONFIG 2`; mmengine converts every BN when `sync_bn` is set and
# the run is distributed). configs/boxcaseg/boxcaseg_{voc,coco}.py add the data.
_base_ = ['./boxcaseg.py', '../schedules/boxcaseg_sgd_40e.py', '../models/hrnetv2_w48.py']

model = dict(in_channels=(48, 96, 192, 384),
             backbone=dict(_base_.hrnetv2_w48, norm_eval=False))
train_dataloader = dict(batch_size=16, num_workers=4)
pseudo_label = dict(dataloader=dict(num_workers=2))
sync_bn = 'torch'
