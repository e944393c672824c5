# BoxCaseg's schedule (SEEDS.md §2 (b)): 40 epochs of the box samples and salient images
# together, SGD lr 0.004, momentum 0.9, weight decay 1e-4, poly decay (power 0.9) per
# iteration. The paper's batch is 2 GPUs x 16 with SyncBN (the method configs' batch_size
# is per GPU).
max_epochs = 40
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.004, momentum=0.9,
                                                         weight_decay=1e-4))
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0.0, by_epoch=True, begin=0,
                        end=max_epochs, convert_to_iter_based=True)]
