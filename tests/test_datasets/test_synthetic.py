"""The synthetic scene renderer, the VOC/COCO writer and the make_synthetic CLI."""
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from pycocotools import mask as mask_utils
from scipy import ndimage

from mmwsis.datasets.synthetic import (CLASSES, VOID, render_salient, render_scene, voc_palette,
                                       write_synthetic_dataset)
from mmwsis.datasets.synthetic import writer as writer_module
from tests.tool_module import tool_module

SIZE = 96
SMALL = dict(num_train=6, num_val=3, num_salient=3, image_size=SIZE)


def scene(seed, index):
    return render_scene(np.random.default_rng([seed, 0, index]), SIZE)


@pytest.fixture(scope='module')
def scenes():
    return [scene(1, i) for i in range(40)]


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic') / 'seed0'
    write_synthetic_dataset(root, seed=0, **SMALL)
    return root


def tree_bytes(root):
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob('*')) if p.is_file()}


def read_index_png(path):
    with Image.open(path) as image:
        assert image.mode == 'P'
        assert image.getpalette()[:768] == voc_palette()
        return np.asarray(image)


def image_ids(root, split):
    return (root / 'ImageSets' / 'Segmentation' / f'{split}.txt').read_text().split()


def xml_objects(root, image_id):
    tree = ET.parse(root / 'Annotations' / f'{image_id}.xml')
    objects = []
    for obj in tree.findall('object'):
        box = obj.find('bndbox')
        objects.append((obj.find('name').text,
                        [int(box.find(t).text) for t in ('xmin', 'ymin', 'xmax', 'ymax')]))
    return tree, objects


def test_scene_arrays_follow_the_voc_conventions(scenes):
    for sc in scenes:
        k = len(sc.instance_labels)
        assert 1 <= k <= 8
        assert sc.image.shape == (SIZE, SIZE, 3) and sc.image.dtype == np.uint8
        assert sc.instance_map.shape == (SIZE, SIZE) and sc.instance_map.dtype == np.uint8
        assert set(np.unique(sc.instance_map)) <= set(range(k + 1)) | {VOID}
        assert set(np.unique(sc.instance_map)) >= set(range(1, k + 1))  # none fully void
        assert ((0 <= sc.instance_labels) & (sc.instance_labels < len(CLASSES))).all()
        assert sc.boxes.shape == (k, 4) and sc.touching.shape[1] == 2
    with pytest.raises(ValueError):
        render_scene(np.random.default_rng(0), 16)


def test_boxes_are_tight_around_the_visible_masks(scenes):
    for sc in scenes:
        m = sc.instance_map
        for k, (x1, y1, x2, y2) in enumerate(sc.boxes, 1):
            ys, xs = np.nonzero(m == k)
            assert x1 <= xs.min() and xs.max() < x2 and y1 <= ys.min() and ys.max() < y2
            # Each box edge passes through the instance or the void band covering its rim.
            own = (m == k) | (m == VOID)
            assert own[y1:y2, x1].any() and own[y1:y2, x2 - 1].any()
            assert own[y1, x1:x2].any() and own[y2 - 1, x1:x2].any()


def test_void_band_separates_every_pair_of_labels(scenes):
    eroded = []
    for sc in scenes:
        m = sc.instance_map
        for a, b in ((m[:, :-1], m[:, 1:]), (m[:-1, :], m[1:, :])):
            labelled = (a != VOID) & (b != VOID)
            assert (a[labelled] == b[labelled]).all(), 'two labels touch without void'
        void = m == VOID
        eroded.append(ndimage.binary_erosion(void, np.ones((3, 3)), border_value=1).sum()
                      / void.sum())
    assert np.mean(eroded) < 0.1  # a thin band, thicker only at junctions


def test_touching_same_class_instances_are_split_by_void(scenes):
    pairs = 0
    for sc in scenes:
        for i, j in sc.touching:
            assert i < j
            if sc.instance_labels[i - 1] != sc.instance_labels[j - 1]:
                continue
            pairs += 1
            grown = ndimage.binary_dilation(sc.instance_map == i, np.ones((3, 3)))
            assert not (grown & (sc.instance_map == j)).any()
            assert (grown & (sc.instance_map == VOID)).any()
    assert pairs >= 10


def test_scenes_often_repeat_a_class_and_vary_in_count(scenes):
    counts = [len(sc.instance_labels) for sc in scenes]
    repeated = [np.bincount(sc.instance_labels).max() >= 2 for sc in scenes]
    same_touch = [any(sc.instance_labels[i - 1] == sc.instance_labels[j - 1]
                      for i, j in sc.touching) for sc in scenes]
    assert len(set(counts)) >= 5 and 2.5 <= np.mean(counts) <= 6
    assert np.mean(repeated) >= 0.5 and np.mean(same_touch) >= 0.2
    assert len({c for sc in scenes for c in sc.instance_labels}) == len(CLASSES)


def test_rendering_is_deterministic_per_seed():
    a, b, c = scene(5, 3), scene(5, 3), scene(6, 3)
    for field in ('image', 'instance_map', 'instance_labels', 'boxes', 'touching'):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.image, c.image)
    s1, m1 = render_salient(np.random.default_rng(9), SIZE)
    s2, m2 = render_salient(np.random.default_rng(9), SIZE)
    np.testing.assert_array_equal(s1, s2)
    np.testing.assert_array_equal(m1, m2)


def test_salient_images_hold_one_sizeable_object():
    for i in range(10):
        image, mask = render_salient(np.random.default_rng([0, 2, i]), SIZE)
        assert image.shape == (SIZE, SIZE, 3) and image.dtype == np.uint8
        assert mask.shape == (SIZE, SIZE) and mask.dtype == bool
        assert 0.02 < mask.mean() < 0.6
        assert ndimage.label(mask)[1] == 1


def test_layout_and_file_formats(dataset):
    train, val = image_ids(dataset, 'train'), image_ids(dataset, 'val')
    assert train == [f'syn_train_{i:06d}' for i in range(6)]
    assert val == [f'syn_val_{i:06d}' for i in range(3)]
    assert image_ids(dataset, 'train_aug') == train
    for image_id in train + val:
        with Image.open(dataset / 'JPEGImages' / f'{image_id}.jpg') as image:
            assert image.format == 'JPEG' and image.mode == 'RGB'
            assert image.size == (SIZE, SIZE)
        for folder in ('SegmentationClass', 'SegmentationObject'):
            assert read_index_png(dataset / folder / f'{image_id}.png').shape == (SIZE, SIZE)
    salient = (dataset / 'SalientObjects' / 'list.txt').read_text().split()
    assert salient == [f'syn_salient_{i:06d}' for i in range(3)]
    for image_id in salient:
        assert (dataset / 'SalientObjects' / 'JPEGImages' / f'{image_id}.jpg').is_file()
        with Image.open(dataset / 'SalientObjects' / 'Masks' / f'{image_id}.png') as mask:
            assert mask.mode == 'L'
            assert set(np.unique(np.asarray(mask))) == {0, 255}
    meta = json.loads((dataset / 'meta.json').read_text())
    assert meta['classes'] == list(CLASSES) and meta['seed'] == 0
    assert meta['num_images'] == {'train': 6, 'val': 3, 'salient': 3}
    assert meta['version'] == writer_module.GENERATOR_VERSION
    assert (dataset / 'README.txt').read_text().strip()
    assert not dataset.with_name(dataset.name + '.tmp').exists()
    assert not (dataset / 'INCOMPLETE').exists()


def test_xml_object_k_is_instance_k(dataset):
    for image_id in image_ids(dataset, 'train') + image_ids(dataset, 'val'):
        tree, objects = xml_objects(dataset, image_id)
        assert tree.findtext('filename') == f'{image_id}.jpg'
        assert [int(tree.findtext(f'size/{t}')) for t in ('width', 'height', 'depth')] == \
            [SIZE, SIZE, 3]
        instances = read_index_png(dataset / 'SegmentationObject' / f'{image_id}.png')
        classes = read_index_png(dataset / 'SegmentationClass' / f'{image_id}.png')
        assert 1 <= len(objects) <= 8
        assert set(np.unique(instances)) - {0, VOID} == set(range(1, len(objects) + 1))
        np.testing.assert_array_equal(instances == VOID, classes == VOID)
        np.testing.assert_array_equal(instances == 0, classes == 0)
        for k, (name, (xmin, ymin, xmax, ymax)) in enumerate(objects, 1):
            mask = instances == k
            assert (classes[mask] == CLASSES.index(name) + 1).all()
            ys, xs = np.nonzero(mask)  # 1-based inclusive VOC box around the mask
            assert xmin <= xs.min() + 1 and xs.max() + 1 <= xmax <= SIZE
            assert ymin <= ys.min() + 1 and ys.max() + 1 <= ymax <= SIZE


def test_each_image_is_reproducible_alone(dataset):
    for split_index, split in enumerate(('train', 'val')):
        image_id = image_ids(dataset, split)[-1]
        sc = render_scene(np.random.default_rng([0, split_index, int(image_id[-6:])]), SIZE)
        instances = read_index_png(dataset / 'SegmentationObject' / f'{image_id}.png')
        np.testing.assert_array_equal(instances, sc.instance_map)
        _, objects = xml_objects(dataset, image_id)
        assert [CLASSES.index(name) for name, _ in objects] == sc.instance_labels.tolist()
        expected = [[x1 + 1, y1 + 1, x2, y2] for x1, y1, x2, y2 in sc.boxes.tolist()]
        assert [box for _, box in objects] == expected
        with Image.open(dataset / 'JPEGImages' / f'{image_id}.jpg') as jpeg:
            error = np.abs(np.asarray(jpeg).astype(int) - sc.image.astype(int)).mean()
        assert error < 4  # JPEG quality 95
    image, mask = render_salient(np.random.default_rng([0, 2, 1]), SIZE)
    with Image.open(dataset / 'SalientObjects' / 'Masks' / 'syn_salient_000001.png') as png:
        np.testing.assert_array_equal(np.asarray(png) > 0, mask)


def test_coco_rle_equals_the_voc_instance_masks(dataset):
    for split in ('train', 'val'):
        coco = json.loads((dataset / 'annotations' / f'instances_{split}.json').read_text())
        assert [c['name'] for c in coco['categories']] == list(CLASSES)
        assert [c['id'] for c in coco['categories']] == list(range(1, len(CLASSES) + 1))
        ids = image_ids(dataset, split)
        assert [im['id'] for im in coco['images']] == list(range(1, len(ids) + 1))
        assert [im['file_name'] for im in coco['images']] == [f'{i}.jpg' for i in ids]
        assert len({a['id'] for a in coco['annotations']}) == len(coco['annotations'])
        for image in coco['images']:
            image_id = image['file_name'][:-4]
            anns = [a for a in coco['annotations'] if a['image_id'] == image['id']]
            instances = read_index_png(dataset / 'SegmentationObject' / f'{image_id}.png')
            _, objects = xml_objects(dataset, image_id)
            assert len(anns) == len(objects)
            for k, (ann, (name, _)) in enumerate(zip(anns, objects), 1):
                assert isinstance(ann['segmentation']['counts'], str)
                decoded = mask_utils.decode(ann['segmentation']).astype(bool)
                np.testing.assert_array_equal(decoded, instances == k)
                assert ann['category_id'] == CLASSES.index(name) + 1
                assert ann['area'] == decoded.sum() and ann['iscrowd'] == 0
                np.testing.assert_array_equal(ann['bbox'], mask_utils.toBbox(ann['segmentation']))


def test_output_bytes_depend_only_on_the_seed(dataset, tmp_path):
    write_synthetic_dataset(tmp_path / 'again', seed=0, workers=2, **SMALL)
    assert tree_bytes(tmp_path / 'again') == tree_bytes(dataset)
    write_synthetic_dataset(tmp_path / 'other', seed=1, **SMALL)
    other, ref = tree_bytes(tmp_path / 'other'), tree_bytes(dataset)
    assert other.keys() == ref.keys()
    for name in ('JPEGImages/syn_train_000000.jpg', 'SegmentationObject/syn_val_000000.png',
                 'SalientObjects/Masks/syn_salient_000000.png'):
        assert other[name] != ref[name]


def test_refuses_to_overwrite(dataset, tmp_path):
    before = tree_bytes(dataset)
    with pytest.raises(FileExistsError):
        write_synthetic_dataset(dataset, seed=3, **SMALL)
    assert tree_bytes(dataset) == before
    foreign = tmp_path / 'foreign'
    foreign.mkdir()
    (foreign / 'notes.txt').write_text('keep me')
    with pytest.raises(FileExistsError):
        write_synthetic_dataset(foreign, seed=0, overwrite=True, **SMALL)
    assert (foreign / 'notes.txt').read_text() == 'keep me'
    one = dict(num_train=1, num_val=1, num_salient=1, image_size=48)
    write_synthetic_dataset(tmp_path / 'mine', seed=0, **one)
    write_synthetic_dataset(tmp_path / 'mine', seed=1, overwrite=True, **one)
    assert json.loads((tmp_path / 'mine' / 'meta.json').read_text())['seed'] == 1


def test_interrupted_run_leaves_a_detectable_tmp_dir(tmp_path, monkeypatch):
    def crash(rng, image_size):
        raise RuntimeError('interrupted')

    one = dict(num_train=1, num_val=1, num_salient=1, image_size=48, seed=0)
    with monkeypatch.context() as patch:
        patch.setitem(writer_module.KINDS, 'shapes',
                      writer_module.KINDS['shapes'][:2] + (crash, 'crashing'))
        with pytest.raises(RuntimeError):
            write_synthetic_dataset(tmp_path / 'data', **one)
    assert not (tmp_path / 'data').exists()
    assert (tmp_path / 'data.tmp' / 'INCOMPLETE').is_file()
    write_synthetic_dataset(tmp_path / 'data', **one)  # a rerun replaces the leftover
    assert not (tmp_path / 'data.tmp').exists() and (tmp_path / 'data' / 'meta.json').is_file()


def test_cli_tiny_preset(tmp_path, capsys):
    cli = tool_module('make_synthetic.py')
    out = tmp_path / 'tiny'
    cli.main(['--preset', 'tiny', '--out', str(out), '--workers', '1', '--num-val', '2'])
    printed = capsys.readouterr().out
    meta = json.loads((out / 'meta.json').read_text())
    assert meta['num_images'] == {'train': cli.TINY_PRESET['num_train'], 'val': 2,
                                  'salient': cli.TINY_PRESET['num_salient']}
    assert meta['image_size'] == cli.TINY_PRESET['image_size']
    assert 'instances/image' in printed and str(out.resolve()) in printed
    stats = cli.summarise(
        [writer_module.SceneRecord('a', (0, 0, 1), ((1, 2), (2, 3))),
         writer_module.SceneRecord('b', (2, ), ())])
    assert stats['histogram'] == {1: 1, 3: 1} and stats['repeated_class_images'] == 1
    assert stats['touching_pair_share'] == pytest.approx(2 / 3)
    assert stats['same_class_touching_share'] == pytest.approx(2 / 4)
