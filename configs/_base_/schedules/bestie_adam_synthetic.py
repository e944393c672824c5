# BESTIE's schedule (bestie_adam_50k.py) for the small synthetic presets on CPUs: Adam, no
# weight decay, a linear warm-up from 0.001 over the first 20 steps (~4 % of the run on the
# shapes, as BESTIE's 2,000 of 50,000), with poly decay. BESTIE trains 76 epochs of VOC at
# lr 5e-5; here `max_epochs` epochs of at least 100 labelled images per class
# (teacher_runtime.py) at 10x its lr, so that the randomly initialised decoder and heads
# converge in ~1/20 of the steps.
max_epochs = 6
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4, weight_decay=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=20),
    dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=True, begin=0, end=max_epochs,
         convert_to_iter_based=True),
]
