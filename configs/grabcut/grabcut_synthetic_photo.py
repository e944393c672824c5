# grabcut_synthetic.py on the photographic synthetic scenes: only the data change, as a
# user's own VOC-layout data would.
#   python tools/pipeline.py configs/grabcut/grabcut_synthetic_photo.py
_base_ = './grabcut_synthetic.py'
data_root = 'data/synthetic_photo/'
classes = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
           'crescent', 'cross', 'tee')
