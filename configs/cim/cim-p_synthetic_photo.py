# CIM with point labels on the photographic synthetic scenes (cim-p_synthetic.py with
# the data changed).
#   python tools/pipeline.py configs/cim/cim-p_synthetic_photo.py
_base_ = './cim-p_synthetic.py'
data_root = 'data/synthetic_photo/'
classes = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
           'crescent', 'cross', 'tee')
