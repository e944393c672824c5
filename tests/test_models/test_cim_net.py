"""CIM's transforms and network on the tiny dataset: relations cached, clusters from the
point view, a few training steps, and the labeler's detections."""
import pickle

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from mmwsis.datasets import VOCInstanceDataset
from mmwsis.engine.pseudo_label import CIMLabeler
from mmwsis.pseudo import proposal_overlaps, select_detections
from mmwsis.registry import MODELS
from mmwsis.utils import register_all_modules

META_KEYS = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
             'flip_direction', 'image_labels', 'supervision', 'proposal_masks',
             'proposal_iou', 'proposal_containment', 'proposal_box_masks',
             'proposal_clusters')


def pipeline(num_classes, train=True):
    store = dict(root='proposals/cim_test', source='generate', max_proposals=20)
    geometric = [dict(type='mmdet.Resize', scale=(128, 128), keep_ratio=False),
                 dict(type='mmdet.RandomFlip', prob=1.0)] if train else []
    return [dict(type='mmdet.LoadImageFromFile'),
            dict(type='LoadProposalsWithRelations', store=store),
            dict(type='AssignProposalClusters', num_classes=num_classes),  # the points
            *([dict(type='mmdet.ProposalBroadcaster', transforms=geometric)] if train else []),
            dict(type='PackWeakInputs', meta_keys=META_KEYS)]


def dataset(root, classes, train=True):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    return VOCInstanceDataset(data_root=str(root), ann_file='ImageSets/Segmentation/train.txt',
                              metainfo=dict(classes=classes), supervision='point',
                              test_mode=not train, pipeline=pipeline(len(classes), train))


def build_model(num_classes, **options):
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='CIMNet', num_classes=num_classes, in_channels=112, featmap_stride=16, **options,
        roi_head=dict(conv_channels=32, fc_channels=64), test_scales=(None, 96),
        data_preprocessor=dict(type='mmdet.DetDataPreprocessor', mean=[127.5] * 3,
                               std=[127.5] * 3, bgr_to_rgb=True, pad_size_divisor=16),
        backbone=dict(type='EfficientNetLite0', out_indices=(4, ), pretrained=False)))


def test_relations_are_cached_and_match_the_proposals(synthetic_copy, synthetic_classes):
    data = dataset(synthetic_copy, synthetic_classes)
    first = data[0]['data_samples'].metainfo
    cache = list((synthetic_copy / 'proposals' / 'cim_test' / 'relations_s7_topall').glob('*.pkl'))
    assert len(cache) == 1
    iou, containment = proposal_overlaps(first['proposal_masks'])
    np.testing.assert_allclose(first['proposal_iou'], iou, atol=1e-3)
    np.testing.assert_allclose(first['proposal_containment'], containment, atol=1e-3)
    assert first['proposal_box_masks'].shape == (len(iou), 7, 7)
    assert first['proposal_clusters'].shape == (len(iou), len(synthetic_classes) + 1)
    assert (first['proposal_clusters'][:, 1:] > 0).any()  # the points found their objects
    cached = pickle.loads(cache[0].read_bytes())
    assert 'atom_areas' in cached and 'iou' not in cached  # atoms are cached, not R x R maps
    again = data[0]['data_samples'].metainfo  # from the cache now
    np.testing.assert_array_equal(again['proposal_iou'], first['proposal_iou'])
    # A cache written before the atoms (the maps themselves) is rebuilt, not misread.
    cache[0].write_bytes(pickle.dumps(dict(iou=0, containment=0, box_masks=cached['box_masks'])))
    rebuilt = data[0]['data_samples'].metainfo
    np.testing.assert_array_equal(rebuilt['proposal_containment'], first['proposal_containment'])


def test_cim_trains_and_its_detections_are_the_proposals(synthetic_copy, synthetic_classes):
    num_classes = len(synthetic_classes)
    model = build_model(num_classes)
    data = dataset(synthetic_copy, synthetic_classes)
    batch = model.data_preprocessor(pseudo_collate([data[0], data[1]]), True)
    assert batch['data_samples'][0].metainfo['flip']  # box masks follow the flip
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    losses = []
    for _ in range(6):
        terms = model(**batch, mode='loss')
        assert {'loss_mil', 'loss_pcl', 'loss_cls0', 'loss_integrity2', 'loss_bag1'} <= set(terms)
        loss = sum(terms.values())
        assert torch.isfinite(loss)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]

    model.eval()
    test = dataset(synthetic_copy, synthetic_classes, train=False)
    sample = model.data_preprocessor(pseudo_collate([test[0]]), False)
    out = model(**sample, mode='predict')[0]
    num = len(out.metainfo['proposal_masks'])
    assert out.proposal_scores.shape == (num, num_classes + 1)
    labels = out.metainfo['image_labels']
    result = CIMLabeler(score_thr=0.0).per_image(dict(
        proposal_scores=out.proposal_scores, proposals=dict(bboxes=out.proposals.bboxes),
        proposal_masks=out.metainfo['proposal_masks'], image_labels=labels,
        ori_shape=out.metainfo['ori_shape']))
    assert len(result) and set(result.labels.tolist()) <= set(labels)
    rles = {r['counts'] for r in out.metainfo['proposal_masks']}
    assert all(m['counts'] in rles for m in result.masks)


def test_without_integrity_heads_they_get_no_loss_and_do_not_score(synthetic_copy,
                                                                   synthetic_classes):
    num_classes = len(synthetic_classes)
    data = dataset(synthetic_copy, synthetic_classes)
    full, ablated = build_model(num_classes), build_model(num_classes, integrity=False)
    batch = full.data_preprocessor(pseudo_collate([data[0]]), True)
    terms = ablated(**batch, mode='loss')
    assert 'loss_cls0' in terms and not any(k.startswith('loss_integrity') for k in terms)
    assert any(k.startswith('loss_integrity') for k in full(**batch, mode='loss'))
    sum(terms.values()).backward()
    assert all(fc.weight.grad is None for fc in ablated.head.refine_iou)

    test = dataset(synthetic_copy, synthetic_classes, train=False)
    sample = full.data_preprocessor(pseudo_collate([test[0]]), False)
    scores = {}
    for name, model in (('full', full), ('ablated', ablated)):
        model.eval()
        scores[name] = model(**sample, mode='predict')[0].proposal_scores
    # Same weights (same seed): the ablation's score is the refinements' mean alone, so
    # it is larger than mean P * Q (Q < 1) wherever P > 0.
    assert (scores['ablated'] > scores['full']).all()


def test_detections_nms_per_class_and_cap():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10]], float)
    scores = np.array([[0, .9, .1], [0, .8, .7], [0, .5, .0], [0, 1e-6, .2]])
    index, labels, kept = select_detections(scores, boxes, [0, 1], nms_iou=0.3)
    # class 0: 0 suppresses 1 (IoU 0.81), keeps 2; 3 is under the score floor.
    # class 1: 1 (0.7) suppresses 0 and 3.
    assert list(zip(index, labels)) == [(0, 0), (1, 1), (2, 0)]
    np.testing.assert_allclose(kept, [.9, .7, .5])
    index, _, _ = select_detections(scores, boxes, [0, 1], max_per_image=2)
    assert len(index) == 2
    assert len(select_detections(scores, boxes, [])[0]) == 0
