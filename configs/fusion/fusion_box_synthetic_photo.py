# fusion_box_synthetic.py on the photographic synthetic scenes: only the data change (and
# the sources' default paths, the photo pipelines' outputs).
#   python tools/pipeline.py configs/fusion/fusion_box_synthetic_photo.py
_base_ = './fusion_box_synthetic.py'
data_root = 'data/synthetic_photo/'
classes = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
           'crescent', 'cross', 'tee')
pseudo_label = dict(labeler=dict(sources=dict(
    boxcaseg='work_dirs/boxcaseg_synthetic_photo_pipeline/boxcaseg/pseudo_labels/train.json',
    grabcut='work_dirs/grabcut_synthetic_photo_pipeline/grabcut/pseudo_labels/train.json')))
wsis_pipeline = dict(teacher_steps=[
    dict(name='boxcaseg', config='mmwsis::boxcaseg/boxcaseg_synthetic_photo.py'),
    dict(name='grabcut', config='mmwsis::grabcut/grabcut_synthetic_photo.py', train=False),
    dict(name='fusion', train=False, inputs={
        'pseudo_label.labeler.sources.boxcaseg': 'boxcaseg.pseudo_labels',
        'pseudo_label.labeler.sources.grabcut': 'grabcut.pseudo_labels'})])
