# The box baselines (filled box, GrabCut inside the box): a teacher without weights
# (BoxPrior) turns each GT box of the train split into a mask, merged and scored as
# BoxCaseg's proxy masks are (smaller boxes on top, confidence = box IoU). Nothing is
# trained: the pipeline step has `train=False` and goes straight to the pseudo labels.
_base_ = ['../pseudo_label_runtime.py']

supervision = 'box'
model = dict(
    type='BoxPrior',
    prior='grabcut',
    grabcut_iterations=5,  # OpenCV's GrabCut sample
    # the raw uint8 pixels, BGR as OpenCV reads them: GrabCut fits colour models to them
    data_preprocessor=dict(type='mmdet.DetDataPreprocessor', bgr_to_rgb=False,
                           pad_size_divisor=1))
pseudo_label = dict(
    labeler=dict(type='BoxPriorLabeler'),
    dataloader=dict(dataset=dict(pipeline=[
        dict(type='mmdet.LoadImageFromFile'),
        dict(type='mmdet.LoadAnnotations', with_bbox=True),
        dict(type='PackWeakInputs')])))
