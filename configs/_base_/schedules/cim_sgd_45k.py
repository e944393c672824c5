# CIM's solver (SEEDS.md §4 (b)): one image per step, gradients accumulated over 4 (CIM's
# iter_size), so a loop iteration is one image: 45k steps of 4 images = 180k iterations,
# x0.1 at 30k steps; lr 2.5e-4 (the yaml's 5e-4 halved for one GPU), momentum 0.9, weight
# decay 5e-4, biases at 2x lr without decay, linear warm-up over 500 steps from 1/3.
max_iters = 180000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(
    type='OptimWrapper',
    accumulative_counts=4,
    optimizer=dict(type='SGD', lr=2.5e-4, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(bias_lr_mult=2.0, bias_decay_mult=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=False, begin=0, end=2000),
    dict(type='MultiStepLR', by_epoch=False, begin=0, end=max_iters, milestones=[120000],
         gamma=0.1),
]
