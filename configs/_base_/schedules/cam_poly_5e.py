# IRNet step 1's schedule: 5 epochs of SGD with poly decay (power 0.9), weight decay 1e-4,
# a 10x learning rate on the classifier. The paper's lr 0.1 ran with no momentum (a
# PolyOptimizer quirk); 0.01 with momentum 0.9 takes the same steps. The teachers' sampler
# makes an epoch at least 100 labelled images per class (teacher_runtime.py); the synthetic
# presets train 10 such epochs (cam_poly_synthetic.py).
max_epochs = 5
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'classifier': dict(lr_mult=10.0)}))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=False, begin=0)]
