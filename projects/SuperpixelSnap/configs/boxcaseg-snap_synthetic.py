# mmwsis's boxcaseg/boxcaseg_synthetic.py, its pseudo masks snapped to graph superpixels:
# the base's teacher and labeler, then SuperpixelSnapLabeler around that labeler.
#   python tools/pipeline.py projects/SuperpixelSnap/configs/boxcaseg-snap_synthetic.py
_base_ = ['mmwsis::boxcaseg/boxcaseg_synthetic.py', './_base_/snap.py']
pseudo_label = dict(labeler=dict(_delete_=True, type='SuperpixelSnapLabeler',
                                 labeler=_base_.pseudo_label.labeler))
