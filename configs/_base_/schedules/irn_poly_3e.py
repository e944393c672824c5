# IRNet step 2's schedule: 3 epochs, poly decay; lr 0.1 on the boundary branch and 1.0 on
# the displacement branch in the paper (0.01 / 0.1 with momentum 0.9 take those steps).
max_epochs = 3
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'displacement_branch': dict(lr_mult=10.0)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=False, begin=0)]
