"""Segment proposals: generator, readers, cache, recall and the pipeline transform."""
import os
import pickle

import numpy as np
import pytest
import scipy.io
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from PIL import Image

import mmwsis.datasets.transforms.proposals  # noqa: F401  (registers LoadProposals)
import mmwsis.proposals.cache as cache_module
from mmwsis.datasets import VOCInstanceDataset
from mmwsis.evaluation.functional import encode_masks, mask_iou
from mmwsis.proposals import (Proposals, ProposalStore, generate_proposals,
                              load_proposals, proposal_recall, read_index_png,
                              read_liid_pkl, read_mat, save_proposals)
from mmwsis.utils import register_all_modules


def square_image() -> tuple:
    """A red square on a noisy green background, and the square's mask."""
    rng = np.random.default_rng(0)
    image = np.full((64, 80, 3), (90, 140, 90), np.float64) + rng.normal(0, 4, (64, 80, 3))
    image = np.clip(image, 0, 255).astype(np.uint8)
    image[20:44, 30:54] = (220, 60, 40)
    mask = np.zeros((64, 80), bool)
    mask[20:44, 30:54] = True
    return image, mask


@pytest.fixture(scope='module')
def scene(synthetic_root) -> np.ndarray:
    path = synthetic_root / 'JPEGImages' / 'syn_val_000000.jpg'
    return np.asarray(Image.open(path).convert('RGB'))


def boxes_of(masks: np.ndarray) -> np.ndarray:
    rows = []
    for mask in masks:
        ys, xs = np.nonzero(mask)
        rows.append([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1])
    return np.array(rows, dtype=np.float32).reshape(-1, 4)


def assert_same(a: Proposals, b: Proposals) -> None:
    assert [m['counts'] for m in a.masks] == [m['counts'] for m in b.masks]
    np.testing.assert_array_equal(a.boxes, b.boxes)
    np.testing.assert_array_equal(a.scores, b.scores)


# ------------------------------------------------------------------ generator
def test_generator_is_deterministic_and_consistent(scene):
    first, second = generate_proposals(scene), generate_proposals(scene)
    assert_same(first, second)
    assert 10 < len(first) <= 100
    assert first.boxes.dtype == np.float32 and first.boxes.shape == (len(first), 4)
    assert first.scores.dtype == np.float32 and first.scores.shape == (len(first), )
    assert all(isinstance(m['counts'], bytes) for m in first.masks)
    assert np.all(np.diff(first.scores) <= 0) and np.all(first.scores >= 0)
    masks = first.decode()
    assert masks.shape == (len(first), ) + scene.shape[:2]
    np.testing.assert_array_equal(first.boxes, boxes_of(masks))
    areas = masks.sum(axis=(1, 2)) / masks[0].size
    assert areas.min() >= 0.002 and areas.max() <= 0.9


def test_generator_cap_keeps_the_best_ranked(scene):
    assert_same(generate_proposals(scene, max_proposals=5), generate_proposals(scene).top(5))


def test_generator_deduplicates(scene):
    ious = mask_iou(generate_proposals(scene).masks, generate_proposals(scene).masks)
    np.fill_diagonal(ious, 0)
    assert ious.max() <= 0.9
    # Without de-duplication the hierarchies do repeat regions.
    loose = generate_proposals(scene, dedup_iou=1.0).masks
    ious = mask_iou(loose, loose)
    np.fill_diagonal(ious, 0)
    assert ious.max() > 0.9


def test_generator_ranks_a_salient_square_first():
    image, mask = square_image()
    proposals = generate_proposals(image)
    assert mask_iou(proposals.masks[:1], encode_masks(mask[None]))[0, 0] > 0.9


def test_generator_rejects_non_rgb_images():
    with pytest.raises(ValueError, match='uint8 RGB'):
        generate_proposals(np.zeros((8, 8), np.uint8))


def test_generator_gives_empty_proposals_for_a_blank_image():
    proposals = generate_proposals(np.zeros((32, 32, 3), np.uint8))
    assert len(proposals) == 0 and proposals.boxes.shape == (0, 4)


# ------------------------------------------------------------------ readers
def three_masks() -> np.ndarray:
    masks = np.zeros((3, 12, 16), bool)
    masks[0, 1:5, 2:9] = True
    masks[1, 6:12, 0:4] = True
    masks[2, 3:10, 10:15] = True
    return masks


def test_read_mat_maskmat_cell_array(tmp_path):
    masks = three_masks()
    cell = np.empty((3, 1), dtype=object)
    for i, mask in enumerate(masks):
        cell[i, 0] = mask.astype(np.uint8)
    scipy.io.savemat(tmp_path / 'a.mat', {'maskmat': cell, 'scores': [[0.9, 0.5, 0.7]]})
    proposals = read_mat(str(tmp_path / 'a.mat'))
    np.testing.assert_array_equal(proposals.decode(), masks)
    np.testing.assert_array_equal(proposals.boxes, boxes_of(masks))
    np.testing.assert_allclose(proposals.scores, [0.9, 0.5, 0.7])


def test_read_mat_maskmat_hwn_array(tmp_path):
    masks = three_masks()
    scipy.io.savemat(tmp_path / 'a.mat', {'maskmat': masks.transpose(1, 2, 0)})
    proposals = read_mat(str(tmp_path / 'a.mat'))
    np.testing.assert_array_equal(proposals.decode(), masks)
    np.testing.assert_allclose(proposals.scores, [1., 2 / 3, 1 / 3])  # file order


def test_read_mat_superpixels_and_labels(tmp_path):
    superpixels = np.arange(1, 13, dtype=np.uint16).reshape(3, 4).repeat(2, 0)  # (6, 4)
    labels = np.empty((2, 1), dtype=object)
    labels[0, 0] = np.array([[1, 2, 5]], dtype=np.uint16)
    labels[1, 0] = np.array([[12]], dtype=np.uint16)
    scipy.io.savemat(tmp_path / 'mcg.mat', {'superpixels': superpixels, 'labels': labels})
    proposals = read_mat(str(tmp_path / 'mcg.mat'))
    expected = np.stack([np.isin(superpixels, [1, 2, 5]), superpixels == 12])
    np.testing.assert_array_equal(proposals.decode(), expected)
    np.testing.assert_array_equal(proposals.boxes, [[0, 0, 2, 4], [3, 4, 4, 6]])


def test_read_mat_names_file_and_keys_when_unknown(tmp_path):
    path = tmp_path / 'odd.mat'
    scipy.io.savemat(path, {'masks': np.zeros((2, 2))})
    with pytest.raises(KeyError, match=r"odd\.mat.*\['masks'\]"):
        read_mat(str(path))


def test_read_liid_pkl(tmp_path):
    masks = three_masks()
    boxes = boxes_of(masks)
    with open(tmp_path / 'a.pkl', 'wb') as f:
        pickle.dump({'bbxes': boxes, 'segs': masks}, f)
    proposals = read_liid_pkl(str(tmp_path / 'a.pkl'))
    np.testing.assert_array_equal(proposals.decode(), masks)
    np.testing.assert_array_equal(proposals.boxes, boxes)
    assert len(proposals.scores) == 3


def test_read_index_png(tmp_path):
    masks = three_masks()
    index = np.zeros(masks.shape[1:], np.uint8)
    for value, mask in zip((1, 2, 7), masks):  # ids need not be consecutive
        index[mask] = value
    Image.fromarray(index, mode='L').save(tmp_path / 'a.png')
    proposals = read_index_png(str(tmp_path / 'a.png'))
    np.testing.assert_array_equal(proposals.decode(), masks)
    np.testing.assert_array_equal(proposals.boxes, boxes_of(masks))


def test_save_load_round_trip(tmp_path, scene):
    proposals = generate_proposals(scene, max_proposals=7)
    save_proposals(str(tmp_path), 'x', proposals)
    assert_same(load_proposals(str(tmp_path), 'x'), proposals)


# ------------------------------------------------------------------ store
def test_store_computes_once_then_reads_the_cache(tmp_path, synthetic_root, monkeypatch):
    calls = []

    def counting(image, **kwargs):
        calls.append(image.shape)
        return generate_proposals(image, **kwargs)

    monkeypatch.setattr(cache_module, 'generate_proposals', counting)
    store = ProposalStore(str(tmp_path / 'cache'), max_proposals=10)
    path = str(synthetic_root / 'JPEGImages' / 'syn_val_000000.jpg')
    first = store.get('syn_val_000000', path)
    mtime = os.stat(tmp_path / 'cache' / 'syn_val_000000.pkl').st_mtime_ns
    second = ProposalStore(str(tmp_path / 'cache'), max_proposals=10).get('syn_val_000000',
                                                                          path)
    assert len(calls) == 1 and len(first) == 10
    assert_same(first, second)
    assert os.stat(tmp_path / 'cache' / 'syn_val_000000.pkl').st_mtime_ns == mtime


def test_store_refuses_a_root_made_with_other_settings(tmp_path):
    ProposalStore(str(tmp_path), max_proposals=10)
    with pytest.raises(ValueError, match='max_proposals'):
        ProposalStore(str(tmp_path), max_proposals=20)


def test_store_reads_external_files(tmp_path):
    index = np.zeros((8, 8), np.uint8)
    index[2:5, 1:4] = 1
    index[6:, 6:] = 2
    Image.fromarray(index).save(tmp_path / 'img1.png')
    store = ProposalStore(str(tmp_path / 'cache'), source='png', source_dir=str(tmp_path),
                          max_proposals=1)
    proposals = store.get('img1', 'unused.jpg')
    np.testing.assert_array_equal(proposals.boxes, [[1, 2, 4, 5]])
    with pytest.raises(FileNotFoundError, match='img2'):
        store.get('img2', 'unused.jpg')


@pytest.mark.parametrize('workers', [1, 2])
def test_precompute_fills_the_cache(tmp_path, synthetic_root, workers, capsys):
    infos = [dict(img_id=f'syn_val_00000{i}',
                  img_path=str(synthetic_root / 'JPEGImages' / f'syn_val_00000{i}.jpg'))
             for i in range(3)]
    store = ProposalStore(str(tmp_path), max_proposals=5)
    assert store.precompute(infos, workers=workers) == 3
    assert all(store.has(info['img_id']) for info in infos)
    assert '3/3 images' in capsys.readouterr().out
    assert store.precompute(infos, workers=workers) == 0


# ------------------------------------------------------------------ recall
def box_mask(y1: int, y2: int, x1: int, x2: int) -> np.ndarray:
    mask = np.zeros((40, 40), bool)
    mask[y1:y2, x1:x2] = True
    return mask


def as_proposals(masks: list) -> Proposals:
    rles = encode_masks(np.array(masks).reshape(-1, 40, 40))
    return Proposals(rles, boxes_of(np.array(masks).reshape(-1, 40, 40)),
                     np.ones(len(rles)))


def test_recall_on_a_hand_made_case():
    gt_a, gt_b = box_mask(0, 10, 0, 10), box_mask(20, 30, 20, 30)
    exact, partial = gt_a, box_mask(20, 30, 20, 26)  # IoU 1.0 and 0.6
    gts = [encode_masks(np.stack([gt_a, gt_b])), encode_masks(box_mask(5, 9, 5, 9)[None])]
    result = proposal_recall([as_proposals([exact, partial]), as_proposals([])], gts)
    assert result['recall@0.5'] == pytest.approx(2 / 3)
    assert result['recall@0.7'] == pytest.approx(1 / 3)
    assert result['mabo'] == pytest.approx((1. + 0.6 + 0.) / 3)
    assert result['mean_proposals'] == 1. and result['num_instances'] == 3


def test_recall_leaves_ignored_pixels_out():
    gt = box_mask(20, 30, 20, 30)
    proposal = box_mask(20, 30, 20, 34)  # 4 extra columns: IoU 100 / 140
    void = encode_masks(box_mask(20, 30, 30, 34)[None])[0]
    gts = [encode_masks(gt[None])]
    assert proposal_recall([as_proposals([proposal])], gts)['mabo'] == pytest.approx(100 / 140)
    ignored = proposal_recall([as_proposals([proposal])], gts, ignore_per_image=[void])
    assert ignored['mabo'] == pytest.approx(1.)


# ------------------------------------------------------------------ transform
def test_load_proposals_moves_boxes_with_the_image(tmp_path, synthetic_root,
                                                   synthetic_classes):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    dataset = VOCInstanceDataset(
        data_root=str(synthetic_root), ann_file='ImageSets/Segmentation/val.txt',
        metainfo=dict(classes=synthetic_classes), supervision='image', pipeline=[])
    store = dict(root=str(tmp_path), max_proposals=30)
    load = Compose([dict(type='mmdet.LoadImageFromFile'),
                    dict(type='LoadProposals', store=store, max_proposals=12)])
    geometric = Compose([dict(type='mmdet.ProposalBroadcaster', transforms=[
        dict(type='mmdet.Resize', scale_factor=2.0, keep_ratio=True),
        dict(type='mmdet.RandomFlip', prob=1.0, direction='horizontal')])])
    pack = Compose([dict(type='PackWeakInputs')])

    loaded = load(dataset.get_data_info(0))
    boxes = loaded['proposals'].copy()
    assert boxes.dtype == np.float32 and boxes.shape == (12, 4)
    assert len(loaded['proposal_masks']) == 12 and len(loaded['proposals_scores']) == 12
    expected = ProposalStore(**store).get(loaded['img_id'], loaded['img_path']).top(12)
    np.testing.assert_array_equal(boxes, expected.boxes)

    width = loaded['img'].shape[1]
    packed = pack(geometric(loaded))
    moved = packed['data_samples'].proposals.bboxes.numpy()
    flipped = np.stack([width - boxes[:, 2], boxes[:, 1], width - boxes[:, 0], boxes[:, 3]],
                       axis=1)
    np.testing.assert_allclose(moved, flipped * 2, atol=1e-4)
