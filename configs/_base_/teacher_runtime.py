# What every weak teacher (stage A) shares. It trains on the data's train split at the
# config's `supervision`, and when training ends its PseudoLabelHook labels the same split
# with the trained teacher (stage B, the `pseudo_label` section of pseudo_label_runtime.py).
# No validation loop: a teacher is judged by its pseudo labels, which the collector scores
# against the train GT where it exists, and the last checkpoint is used whatever they say.
_base_ = ['./pseudo_label_runtime.py']

supervision = 'image'
# One epoch is at least 100 labelled images of an average class (ClassCoverageSampler):
# a schedule's epochs mean the same training on a small many-class dataset as on VOC.
train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='ClassCoverageSampler', min_images_per_class=100, shuffle=True),
    dataset=dict(type='DataSplit', split='train'))
custom_hooks = [dict(type='PseudoLabelHook')]
