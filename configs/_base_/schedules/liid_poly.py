# LIID's MIL teacher: its training recipe was never released. SGD with poly decay and one
# lr for all: a 10x lr on the two linear streams (as the CAM teacher) collapsed every
# proposal to background (synthetic, 120 images, 3 epochs: loss 1.1 -> 3.4, no instance);
# without it the loss fell 1.0 -> 0.24. 8 epochs (VOC); the synthetic config trains 4.
max_epochs = 8
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=False, begin=0)]
