# CIM on the photographic synthetic scenes: cim_synthetic.py with the data changed, as a
# user's own VOC-layout data would be (the README's "Your own data").
#   python tools/pipeline.py configs/cim/cim_synthetic_photo.py
_base_ = './cim_synthetic.py'
data_root = 'data/synthetic_photo/'
classes = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
           'crescent', 'cross', 'tee')
