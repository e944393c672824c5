# boxinst_lite0_fpn_synthetic.py on the photographic synthetic scenes: only the data change,
# as a user's own VOC-layout data would.
#   python tools/pipeline.py configs/boxinst/boxinst_lite0_fpn_synthetic_photo.py
_base_ = './boxinst_lite0_fpn_synthetic.py'
data_root = 'data/synthetic_photo/'
classes = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
           'crescent', 'cross', 'tee')
