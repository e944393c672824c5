# IRNet step 1 on COCO 2017 train (image labels = categories present), as cam_voc.py.
# COCO ships no semantic GT maps, so the CAMs are judged by the relation labels' scores.
_base_ = ['../_base_/datasets/coco.py', '../_base_/methods/irn_cam_r50.py']
