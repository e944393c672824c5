# mmwsis's boxcaseg_synthetic.py, pseudo masks snapped to graph superpixels: the same
# teacher and labeler, then SuperpixelSnapLabeler (this project, imported from outside
# mmwsis). Run from the repository root:
#   python tools/pipeline.py projects/SuperpixelSnap/configs/boxcaseg-snap_synthetic.py
_base_ = 'mmwsis::boxcaseg/boxcaseg_synthetic.py'
custom_imports = dict(imports=['projects.SuperpixelSnap.superpixel_snap'],
                      allow_failed_imports=False)
pseudo_label = dict(labeler=dict(
    _delete_=True, type='SuperpixelSnapLabeler',
    labeler=dict(type='BoxCasegLabeler', threshold=0.5, head='weak'),
    scale_per_area=0.05))
