# BESTIE's schedule: Adam lr 5e-5, no weight decay, 50,000 iterations of 16 images (76
# epochs of VOC train_aug's 10,582), linear warm-up from 0.001 over the first 2,000, then
# poly decay (power 0.9).
max_iters = 50_000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-5, weight_decay=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=2000),
    dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=False, begin=2000, end=max_iters),
]
