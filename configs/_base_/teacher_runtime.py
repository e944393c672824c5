# What every weak teacher (stage A) shares. It trains on the data's train split at the
# config's `supervision`, and when training ends its PseudoLabelHook labels the same split
# with the trained teacher (stage B, the config's `pseudo_label` section: the same run as
# `tools/test.py CONFIG CKPT --pseudo-label`). No validation loop: a teacher is judged by
# its pseudo labels, which the collector scores against the train GT where it exists, and
# the last checkpoint is used whatever they say.
_base_ = ['./default_runtime.py']

supervision = 'image'
# One epoch is at least 100 labelled images of an average class (ClassCoverageSampler):
# a schedule's epochs mean the same training on a small many-class dataset as on VOC.
train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='ClassCoverageSampler', min_images_per_class=100, shuffle=True),
    dataset=dict(type='DataSplit', split='train'))
# The pseudo-label loader does not round up: no rank labels an image twice, and a resumed
# run with every image already cached (killed before its json was written) has an empty
# loader, which mmengine's default round-up would divide by.
pseudo_label = dict(
    name='train',
    dataloader=dict(
        batch_size=1,
        num_workers=1,
        sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
        dataset=dict(type='DataSplit', split='train', test_mode=True)),
    score_thr=0.0,
    resolve_overlaps=True)
custom_hooks = [dict(type='PseudoLabelHook')]
