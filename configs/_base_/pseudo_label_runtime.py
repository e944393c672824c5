# What every pseudo-labelling run (stage B) shares: the config's `pseudo_label` section
# labels the data's train split (`tools/test.py CONFIG CKPT --pseudo-label`, or a teacher's
# PseudoLabelHook when its training ends). The loader does not round up: no rank labels an
# image twice, and a resumed run with every image already cached (killed before its json
# was written) has an empty loader, which mmengine's default round-up would divide by.
_base_ = ['./default_runtime.py']

pseudo_label = dict(
    name='train',
    dataloader=dict(
        batch_size=1,
        num_workers=1,
        sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
        dataset=dict(type='DataSplit', split='train', test_mode=True)),
    score_thr=0.0,
    resolve_overlaps=True)
