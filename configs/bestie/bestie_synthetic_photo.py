# bestie_synthetic.py on the photographic synthetic scenes: only the data change, as a user's
# own VOC-layout data would (the README's "Your own data").
#   python tools/pipeline.py configs/bestie/bestie_synthetic_photo.py
_base_ = './bestie_synthetic.py'
data_root = 'data/synthetic_photo/'
classes = ('disc', 'oval', 'square', 'rectangle', 'triangle', 'arrowhead', 'ring',
           'crescent', 'cross', 'tee')
