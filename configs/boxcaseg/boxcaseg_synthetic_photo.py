# boxcaseg_synthetic.py on the photographic synthetic scenes (their own salient split,
# objects cut from photographs): only the data change, as a user's own VOC-layout data would.
#   python tools/pipeline.py configs/boxcaseg/boxcaseg_synthetic_photo.py
_base_ = './boxcaseg_synthetic.py'
data_root = 'data/synthetic_photo/'
classes = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
           'crescent', 'cross', 'tee')
