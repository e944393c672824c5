# CIM on the synthetic data, image labels: PRM peaks -> proposal clusters -> CIM's MIL
# network with three refinement branches -> pseudo labels -> Mask R-CNN.
#   python tools/pipeline.py configs/cim/cim_synthetic.py     (all stages, one table)
_base_ = ['../_base_/datasets/synthetic.py', '../_base_/methods/cim_lite0.py']

# The clusters come from the PRM step's peaks: the pipeline sets the file; alone
# (`tools/train.py`), it is where `tools/train.py configs/cim/prm_synthetic.py` leaves them.
train_dataloader = dict(
    dataset=dict(pseudo_points_file='work_dirs/prm_synthetic/pseudo_labels/peaks.json'))

wsis_pipeline = dict(
    teacher_steps=[
        dict(name='prm', config='mmwsis::cim/prm_synthetic.py'),
        dict(name='cim', inputs={'train_dataloader.dataset.pseudo_points_file':
                                 'prm.pseudo_labels'}),
    ],
    refine_config='mmwsis::refine/mask-rcnn_lite0_fpn_pseudo_synthetic.py',
    ceiling_config='mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py')
