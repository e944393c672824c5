# mmwsis's grabcut_synthetic_photo.py, pseudo masks snapped to graph superpixels: the same
# teacher and labeler, then SuperpixelSnapLabeler (this project, imported from outside
# mmwsis). Run from the repository root:
#   python tools/pipeline.py projects/SuperpixelSnap/configs/grabcut-snap_synthetic_photo.py
_base_ = 'mmwsis::grabcut/grabcut_synthetic_photo.py'
custom_imports = dict(imports=['projects.SuperpixelSnap.superpixel_snap'],
                      allow_failed_imports=False)
pseudo_label = dict(labeler=dict(
    _delete_=True, type='SuperpixelSnapLabeler',
    labeler=dict(type='BoxPriorLabeler'),
    scale_per_area=0.05))
