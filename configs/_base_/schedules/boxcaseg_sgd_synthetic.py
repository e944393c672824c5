# BoxCaseg's schedule (SGD 0.004, momentum 0.9, weight decay 1e-4, poly 0.9; 40 epochs of
# VOC's ~25k boxes plus DUT-TR-Single's 8k images) for the small synthetic presets on CPUs:
# `max_epochs` epochs of the box samples and salient images together.
max_epochs = 4
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.004, momentum=0.9,
                                                         weight_decay=1e-4))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=True, begin=0,
                        end=max_epochs, convert_to_iter_based=True)]
