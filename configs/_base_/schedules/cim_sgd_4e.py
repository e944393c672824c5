# CIM's solver: SGD momentum 0.9, weight decay 5e-4, biases at 2x lr without decay, a
# linear warm-up from 1/3, x0.1 at two thirds. CIM runs 45k iterations of 4 images on
# VOC's 10,582 (17 epochs) at lr 2.5e-4 for a ResNet-50; the synthetic configs train
# from ImageNet heads in far fewer steps: 4 epochs of at least 100 labelled images per
# class (as LIID's synthetic MIL teacher) at lr 0.0025. LIID's MIL teacher's 0.01 made
# CIM's refinement branches drop whole classes (CIM-P on the shapes: 126 of 400 train
# images without a pseudo label, pseudo mAP50 38.0); at 0.0025 none is empty and pseudo
# mAP50 is 53.7 (chosen on that run's train GT, never val; configs/cim/README.md). With
# image labels it holds on both presets (pseudo mAP50 52.2 shapes / 36.4 photographic,
# against 60.7 / 6.0 at 0.01), so every CIM config keeps it.
max_epochs = 4
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.0025, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(bias_lr_mult=2.0, bias_decay_mult=0.0),
    clip_grad=dict(max_norm=10.0, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True,
         milestones=[int(max_epochs * 2 / 3)], gamma=0.1),
]
