"""Hand-worked and pycocotools-checked cases for the instance-segmentation AP functions.

Most masks are column bands ``[a, b)`` of a 4 x 40 image, so an IoU is a ratio of
column counts (e.g. ``[0, 8)`` vs ``[0, 10)`` has IoU 8 / 10).
"""
import numpy as np
import pytest
from pycocotools import mask as mask_utils

import mmwsis.evaluation.functional as F

ImageInstances = F.ImageInstances
H, W = 4, 40


def band(start: int, stop: int) -> np.ndarray:
    """(H, W) bool mask of the columns [start, stop)."""
    mask = np.zeros((H, W), dtype=bool)
    mask[:, start:stop] = True
    return mask


def image(preds=(), gts=(), height: int = H, width: int = W) -> 'ImageInstances':
    """Record from ``preds = [(mask, label, score)]`` and ``gts = [(mask, label)]``."""
    def rles(masks):
        empty = np.zeros((0, height, width), dtype=bool)
        return F.encode_masks(np.stack(masks) if masks else empty)
    return ImageInstances(
        pred_masks=rles([m for m, _, _ in preds]),
        pred_labels=np.array([l for _, l, _ in preds], dtype=np.int64),
        pred_scores=np.array([s for _, _, s in preds], dtype=np.float64),
        gt_masks=rles([m for m, _ in gts]),
        gt_labels=np.array([l for _, l in gts], dtype=np.int64))


def both_modes(images, num_classes, iou_thrs):
    return (F.voc_instance_ap(images, num_classes, iou_thrs),
            F.coco_instance_ap(images, num_classes, iou_thrs))


# ------------------------------------------------------------------ RLE and IoU


def test_encode_masks_round_trip_and_bytes_counts():
    rng = np.random.default_rng(0)
    masks = rng.integers(0, 2, size=(5, 7, 9)).astype(np.uint8) * 3  # non-zero = fg
    rles = F.encode_masks(masks)
    assert len(rles) == 5
    assert all(isinstance(r['counts'], bytes) and r['size'] == [7, 9] for r in rles)
    decoded = mask_utils.decode(rles).transpose(2, 0, 1)
    np.testing.assert_array_equal(decoded, masks != 0)
    np.testing.assert_array_equal(
        mask_utils.decode(F.encode_masks(masks.astype(bool))).transpose(2, 0, 1),
        masks != 0)
    assert F.encode_masks(np.zeros((0, 7, 9), dtype=bool)) == []
    with pytest.raises(ValueError):
        F.encode_masks(np.zeros((7, 9), dtype=bool))


def test_mask_iou_matches_numpy_reference():
    rng = np.random.default_rng(1)
    preds = rng.random((6, 11, 13)) < 0.4
    gts = rng.random((4, 11, 13)) < 0.3
    preds[0] = False  # an empty mask has IoU 0 with everything
    inter = (preds[:, None] & gts[None]).sum(axis=(2, 3))
    union = (preds[:, None] | gts[None]).sum(axis=(2, 3))
    expected = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    ious = F.mask_iou(F.encode_masks(preds), F.encode_masks(gts))
    assert ious.dtype == np.float64 and ious.shape == (6, 4)
    np.testing.assert_allclose(ious, expected, rtol=0, atol=1e-12)


def test_mask_iou_empty_inputs():
    rles = F.encode_masks(np.ones((3, 5, 5), dtype=bool))
    assert F.mask_iou(rles, []).shape == (3, 0)
    assert F.mask_iou([], rles[:2]).shape == (0, 2)
    assert F.mask_iou([], []).shape == (0, 0)


# ------------------------------------------------------------- hand-worked AP


def test_tp_fp_tp_sequence_over_two_images():
    # Image A: GTs [0,10) and [20,30); image B: GT [0,10). One class, n_gt = 3.
    # Scores: .9 A exact -> TP, .8 B [30,40) -> FP (IoU 0), .7 B exact -> TP,
    #         .6 A [35,40) -> FP.
    # tp = 1,1,2,2  fp = 0,1,1,2  prec = 1, 1/2, 2/3, 1/2  rec = 1/3, 1/3, 2/3, 2/3
    # envelope over recall: 1 on (0, 1/3], 2/3 on (1/3, 2/3], 0 beyond
    # AP = 1/3 * 1 + 1/3 * 2/3 = 5/9 (the GT [20,30) is never found).
    images = [
        image(preds=[(band(0, 10), 0, .9), (band(35, 40), 0, .6)],
              gts=[(band(0, 10), 0), (band(20, 30), 0)]),
        image(preds=[(band(30, 40), 0, .8), (band(0, 10), 0, .7)],
              gts=[(band(0, 10), 0)]),
    ]
    result = F.voc_instance_ap(images, num_classes=1, iou_thrs=(0.5,))
    assert result['ap'].shape == (1, 1) and result['map'].shape == (1,)
    np.testing.assert_allclose(result['ap'], [[5 / 9]])
    np.testing.assert_allclose(result['map'], [5 / 9])
    np.testing.assert_array_equal(result['num_gt'], [3])
    np.testing.assert_array_equal(result['num_pred'], [4])
    np.testing.assert_array_equal(result['iou_thrs'], [0.5])


def test_duplicates_are_false_positives():
    # Image A: GT [0,10) found by .9 and again by .8 (duplicate); image B: GT [0,10)
    # found by .7. tp = 1,1,2  prec = 1, 1/2, 2/3  rec = 1/2, 1/2, 1
    # AP = 1/2 * 1 + 1/2 * 2/3 = 5/6 (it would be 1 if the duplicate counted).
    images = [
        image(preds=[(band(0, 10), 0, .9), (band(0, 10), 0, .8)],
              gts=[(band(0, 10), 0)]),
        image(preds=[(band(0, 10), 0, .7)], gts=[(band(0, 10), 0)]),
    ]
    for result in both_modes(images, 1, (0.5,)):
        assert result['ap'][0, 0] == pytest.approx(5 / 6, abs=0.01)
    assert F.voc_instance_ap(images, 1, (0.5,))['ap'][0, 0] == pytest.approx(5 / 6)


def test_best_gt_is_argmax_without_fall_back():
    # GTs g1 = [0,10), g2 = [10,20). p1 = [0,8) (.9): IoU g1 8/10 -> TP on g1.
    # p2 = [2,16) (.8): IoU g1 8/16 = .5, g2 6/18 = .33; its argmax g1 is taken, so at
    # tau = .25 it is an FP although g2 would pass: tp = 1,1  prec = 1, 1/2
    # rec = 1/2, 1/2 -> AP = 1/2. COCOeval falls back to g2 -> TP, AP = 1.
    images = [image(preds=[(band(0, 8), 0, .9), (band(2, 16), 0, .8)],
                    gts=[(band(0, 10), 0), (band(10, 20), 0)])]
    voc, coco = both_modes(images, 1, (0.25,))
    assert voc['ap'][0, 0] == pytest.approx(0.5)
    assert coco['ap'][0, 0] == pytest.approx(1.0)


def test_iou_ties_go_to_the_first_gt():
    # p1 = [5,15) (.9) has IoU 5/15 with both g1 = [0,10) and g2 = [10,20): it takes
    # g1, so p2 = g1 exactly (.8) is a duplicate: prec = 1, 1/2  rec = 1/2, 1/2
    # -> AP = 1/2 (it would be 1 if the tie went to g2).
    images = [image(preds=[(band(5, 15), 0, .9), (band(0, 10), 0, .8)],
                    gts=[(band(0, 10), 0), (band(10, 20), 0)])]
    assert F.voc_instance_ap(images, 1, (0.25,))['ap'][0, 0] == pytest.approx(0.5)


def test_iou_exactly_at_threshold_counts():
    # Prediction [0,10) vs GT [0,5): IoU = 5/10 = 0.5 exactly -> TP at .5, FP at .7.
    images = [image(preds=[(band(0, 10), 0, .9)], gts=[(band(0, 5), 0)])]
    for result in both_modes(images, 1, (0.5, 0.7)):
        np.testing.assert_allclose(result['ap'], [[1.0], [0.0]])


def test_void_pixels_count_in_the_union():
    # VOC-style instance map: object 1 is a 6x6 square inside a 1-pixel void (255)
    # ring. The GT mask excludes void; a prediction covering object + ring (8x8 = 64
    # pixels) has IoU 36 / 64 = 0.5625 < 1: TP at .5, FP at .7.
    instance_map = np.zeros((12, 12), dtype=np.uint8)
    instance_map[2:10, 2:10] = 255
    instance_map[3:9, 3:9] = 1
    gt = instance_map == 1
    pred = instance_map > 0
    rles_gt, rles_pred = F.encode_masks(gt[None]), F.encode_masks(pred[None])
    assert F.mask_iou(rles_pred, rles_gt)[0, 0] == pytest.approx(36 / 64)
    images = [ImageInstances(rles_pred, np.array([0]), np.array([.9]), rles_gt,
                             np.array([0]))]
    for result in both_modes(images, 1, (0.5, 0.7)):
        np.testing.assert_allclose(result['ap'], [[1.0], [0.0]])


def test_class_without_predictions_is_zero_and_without_gt_is_nan():
    # Class 0: perfect (AP 1). Class 1: GT, no prediction (AP 0). Class 2: a
    # prediction but no GT (NaN, left out of the mean): mAP = (1 + 0) / 2.
    images = [image(preds=[(band(0, 10), 0, .9), (band(20, 30), 2, .8)],
                    gts=[(band(0, 10), 0), (band(10, 20), 1)])]
    for result in both_modes(images, 3, (0.5, 0.75)):
        np.testing.assert_allclose(result['ap'], [[1, 0, np.nan]] * 2)
        np.testing.assert_allclose(result['map'], [0.5, 0.5])
        np.testing.assert_array_equal(result['num_gt'], [1, 1, 0])
        np.testing.assert_array_equal(result['num_pred'], [1, 0, 1])


def test_empty_images():
    scored = image(preds=[(band(0, 10), 0, .9), (band(30, 40), 0, .8)],
                   gts=[(band(0, 10), 0), (band(10, 20), 0)])
    only_gt = image(gts=[(band(0, 10), 0)])
    only_pred = image(preds=[(band(0, 10), 0, .95)])
    # Appending empty images changes nothing: tp = 1,1  prec = 1, 1/2  rec = 1/2
    # -> AP = 1/2.
    for result in both_modes([scored, image(), image()], 1, (0.5,)):
        assert result['ap'][0, 0] == pytest.approx(0.5, abs=0.01)
    # Only GT: AP 0. Only predictions: NaN.
    for result in both_modes([only_gt, image()], 1, (0.5,)):
        np.testing.assert_array_equal(result['ap'], [[0.0]])
    for result in both_modes([only_pred], 1, (0.5,)):
        assert np.isnan(result['ap']).all() and np.isnan(result['map']).all()
    for images in ([], [image(), image()]):
        for result in both_modes(images, 2, (0.5, 0.7)):
            assert result['ap'].shape == (2, 2) and np.isnan(result['ap']).all()
            assert np.isnan(result['map']).all()
            np.testing.assert_array_equal(result['num_gt'], [0, 0])
            np.testing.assert_array_equal(result['num_pred'], [0, 0])


def test_coco_max_dets_caps_detections_per_image_and_class():
    # .9 misses (FP), .8 hits the single GT: prec = 0, 1/2  rec = 0, 1 -> AP = 1/2.
    # With max_dets = 1 only the miss is kept -> AP = 0.
    images = [image(preds=[(band(30, 40), 0, .9), (band(0, 10), 0, .8)],
                    gts=[(band(0, 10), 0)])]
    assert F.coco_instance_ap(images, 1, (0.5,))['ap'][0, 0] == pytest.approx(0.5)
    assert F.coco_instance_ap(images, 1, (0.5,), max_dets=1)['ap'][0, 0] == 0


def test_invalid_inputs_are_rejected():
    with pytest.raises(ValueError):
        F.voc_instance_ap([image(preds=[(band(0, 10), 3, .9)])], 3)
    with pytest.raises(ValueError):
        F.coco_instance_ap([image(gts=[(band(0, 10), -1)])], 3)
    with pytest.raises(ValueError):
        F.voc_instance_ap([image()], 1, iou_thrs=(1.5,))
    with pytest.raises(ValueError):
        ImageInstances(F.encode_masks(band(0, 5)[None]), np.array([0, 0]),
                       np.array([.5]), [], np.array([], dtype=np.int64))


# ----------------------------------------------------- random, against COCOeval


def random_images(seed: int, num_images: int, num_classes: int,
                  one_gt_per_class: bool, perfect: bool) -> list:
    """Random rectangles on 24 x 32 images; predictions jitter GTs (higher scores) or
    are random (lower scores)."""
    rng = np.random.default_rng(seed)
    height, width = 24, 32

    def rect(y0, x0, y1, x1):
        mask = np.zeros((height, width), dtype=bool)
        mask[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)] = True
        return mask

    def random_rect():
        y0, x0 = rng.integers(0, height - 5), rng.integers(0, width - 5)
        return (y0, x0, y0 + rng.integers(5, 15), x0 + rng.integers(5, 17))

    images = []
    for _ in range(num_images):
        gts, preds = [], []
        for c in range(num_classes):
            count = int(rng.random() < 0.6) if one_gt_per_class else rng.integers(0, 3)
            for _ in range(count):
                box = random_rect()
                gts.append((rect(*box), c))
                if perfect:
                    preds.append((rect(*box), c, rng.random()))
                    continue
                for _ in range(rng.integers(0, 4)):
                    jitter = rng.integers(-1, 2, size=4)
                    preds.append((rect(*(np.array(box) + jitter)), c,
                                  0.3 + 0.7 * rng.random()))
        if not perfect:
            for _ in range(rng.integers(0, 5)):
                preds.append((rect(*random_rect()), rng.integers(num_classes),
                              0.6 * rng.random()))
        images.append(image(preds, gts, height, width))
    return images


def test_perfect_predictions_score_one():
    images = random_images(2, num_images=12, num_classes=4, one_gt_per_class=False,
                           perfect=True)
    for result in both_modes(images, 4, (0.25, 0.5, 0.7, 0.75)):
        has_gt = result['num_gt'] > 0
        assert has_gt.any()
        np.testing.assert_allclose(result['ap'][:, has_gt], 1.0)
        np.testing.assert_allclose(result['map'], 1.0)


@pytest.mark.parametrize('seed', [3, 4, 5])
def test_voc_and_coco_agree_with_one_gt_per_class(seed):
    # With at most one GT per class and image, argmax matching and COCO's fall-back
    # matching coincide; only the interpolation differs (all points vs 101 points).
    images = random_images(seed, num_images=30, num_classes=5, one_gt_per_class=True,
                           perfect=False)
    voc, coco = both_modes(images, 5, (0.25, 0.5, 0.7, 0.75))
    np.testing.assert_array_equal(np.isnan(voc['ap']), np.isnan(coco['ap']))
    assert np.all((0.1 < voc['map']) & (voc['map'] < 0.9))  # a non-trivial case
    np.testing.assert_allclose(voc['ap'], coco['ap'], atol=0.02)
    np.testing.assert_allclose(voc['map'], coco['map'], atol=0.02)
    np.testing.assert_array_equal(voc['num_gt'], coco['num_gt'])
    np.testing.assert_array_equal(voc['num_pred'], coco['num_pred'])


def test_voc_ap_ignores_prediction_order_within_an_image():
    images = random_images(6, num_images=10, num_classes=3, one_gt_per_class=False,
                           perfect=False)
    rng = np.random.default_rng(7)
    shuffled = []
    for record in images:
        perm = rng.permutation(len(record.pred_masks))
        shuffled.append(ImageInstances([record.pred_masks[i] for i in perm],
                                       record.pred_labels[perm],
                                       record.pred_scores[perm],
                                       record.gt_masks, record.gt_labels))
    expected = F.voc_instance_ap(images, 3)
    result = F.voc_instance_ap(shuffled, 3)
    np.testing.assert_array_equal(result['ap'], expected['ap'])


def loop_voc_ap(images, num_classes: int, thr: float) -> np.ndarray:
    """(C,) VOC AP written as plain loops, straight from the definition."""
    matches = [[] for _ in range(num_classes)]  # (score, is_tp) per class
    num_gt = np.zeros(num_classes, dtype=int)
    for record in images:
        for c in range(num_classes):
            gt = [m for m, l in zip(record.gt_masks, record.gt_labels) if l == c]
            pred = [(s, m) for m, l, s in zip(record.pred_masks, record.pred_labels,
                                              record.pred_scores) if l == c]
            num_gt[c] += len(gt)
            pred.sort(key=lambda p: -p[0])  # Python's sort is stable
            taken = [False] * len(gt)
            for score, mask in pred:
                ious = [mask_utils.iou([mask], [g], [0])[0][0] for g in gt]
                best = int(np.argmax(ious)) if gt else -1
                is_tp = best >= 0 and ious[best] >= thr and not taken[best]
                if is_tp:
                    taken[best] = True
                matches[c].append((score, is_tp))
    ap = np.full(num_classes, np.nan)
    for c in range(num_classes):
        if num_gt[c] == 0:
            continue
        ranked = sorted(matches[c], key=lambda m: -m[0])
        tp = fp = 0
        points = []  # (recall, precision)
        for _, is_tp in ranked:
            tp, fp = tp + is_tp, fp + (not is_tp)
            points.append((tp / num_gt[c], tp / (tp + fp)))
        area, previous_recall = 0.0, 0.0
        for k, (recall, _) in enumerate(points):
            envelope = max(p for _, p in points[k:])
            area += (recall - previous_recall) * envelope
            previous_recall = recall
        ap[c] = area
    return ap


@pytest.mark.parametrize('seed', [8, 9])
def test_voc_ap_matches_a_loop_implementation(seed):
    images = random_images(seed, num_images=15, num_classes=3, one_gt_per_class=False,
                           perfect=False)
    thrs = (0.25, 0.5, 0.7, 0.75)
    result = F.voc_instance_ap(images, 3, thrs)
    expected = np.stack([loop_voc_ap(images, 3, thr) for thr in thrs])
    np.testing.assert_allclose(result['ap'], expected, rtol=0, atol=1e-12)


def test_instance_miou_takes_each_gt_instances_best_mask_of_its_class():
    gt = np.zeros((2, 10, 10), bool)
    gt[0, :5, :5] = True
    gt[1, 5:, 5:] = True
    pred = np.zeros((2, 10, 10), bool)
    pred[0, :5, :4] = True  # 0.8 of the first instance
    pred[1, 5:, 5:] = True  # the second one exactly, but of another class
    image = ImageInstances(pred_masks=F.encode_masks(pred), pred_labels=[0, 1],
                           pred_scores=[0.1, 0.9], gt_masks=F.encode_masks(gt),
                           gt_labels=[0, 0])
    assert F.instance_miou([image]) == pytest.approx(0.4)
    assert np.isnan(F.instance_miou([]))
