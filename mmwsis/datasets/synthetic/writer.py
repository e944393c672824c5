"""Write the synthetic dataset to disk in PASCAL VOC 2012 and COCO layouts.

Two kinds of scenes: ``shapes`` (:mod:`.scene`, textured geometric classes) and ``photo``
(:mod:`.photo_scene`, silhouettes cut from real photographs). Every image is rendered from
its own generator ``default_rng([seed, split_index, index])``
and written by itself, so any image is reproducible alone and the bytes do not depend on
the order or the number of worker processes. The dataset is built in ``<out_dir>.tmp``
(holding an ``INCOMPLETE`` marker until done) and renamed to ``out_dir`` at the end.
"""
import json
import multiprocessing
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple, Union

import numpy as np
from PIL import Image
from pycocotools import mask as mask_utils

from .photo_scene import PHOTO_CLASSES, render_photo_salient, render_photo_scene
from .scene import CLASSES, VOID, render_salient, render_scene

# Bump when rendering or layout changes, so stale generated data can be told apart.
GENERATOR_VERSION = '1.0.0'
SPLIT_INDEX = {'train': 0, 'val': 1, 'salient': 2}
# kind -> (classes, scene renderer, salient renderer, description)
KINDS = {
    'shapes': (CLASSES, render_scene, render_salient, 'mmwsis synthetic shapes'),
    'photo': (PHOTO_CLASSES, render_photo_scene, render_photo_salient,
              'mmwsis synthetic photographic scenes'),
}
JPEG_QUALITY = 95
_INCOMPLETE = 'INCOMPLETE'


@dataclass(frozen=True)
class SceneRecord:
    """What the CLI summary needs of one written scene.

    Attributes:
        image_id: e.g. ``'syn_train_000000'``.
        labels: 0-based class of instance k+1, length K.
        touching: 1-based instance id pairs ``(i, j)``, ``i < j``, whose visible masks
            touch (see :class:`Scene`).
    """

    image_id: str
    labels: Tuple[int, ...]
    touching: Tuple[Tuple[int, int], ...]


def voc_palette() -> List[int]:
    """The PASCAL VOC colour map as a flat ``[r0, g0, b0, r1, ...]`` list of 768 ints."""
    palette = []
    for index in range(256):
        r = g = b = 0
        c = index
        for bit in range(7, -1, -1):
            r |= (c & 1) << bit
            g |= ((c >> 1) & 1) << bit
            b |= ((c >> 2) & 1) << bit
            c >>= 3
        palette += [r, g, b]
    return palette


def _save_palette_png(label_map: np.ndarray, path: Path) -> None:
    """Save an (H, W) uint8 index map as a 'P' mode PNG with the VOC colours."""
    image = Image.frombytes('P', label_map.shape[::-1], np.ascontiguousarray(label_map).tobytes())
    image.putpalette(voc_palette())
    image.save(path, format='PNG')


def _save_jpeg(image: np.ndarray, path: Path) -> None:
    # 4:4:4 chroma keeps the class colour of small objects intact.
    Image.fromarray(image).save(path, format='JPEG', quality=JPEG_QUALITY, subsampling=0)


def _voc_xml(image_id: str, size: int, labels: np.ndarray, boxes: np.ndarray,
             classes: Sequence[str]) -> str:
    """VOC annotation; ``boxes`` (K, 4) half-open pixels become 1-based inclusive."""
    root = ET.Element('annotation')
    ET.SubElement(root, 'folder').text = 'synthetic'
    ET.SubElement(root, 'filename').text = f'{image_id}.jpg'
    source = ET.SubElement(root, 'source')
    ET.SubElement(source, 'database').text = 'mmwsis synthetic'
    size_el = ET.SubElement(root, 'size')
    for tag, value in (('width', size), ('height', size), ('depth', 3)):
        ET.SubElement(size_el, tag).text = str(value)
    ET.SubElement(root, 'segmented').text = '1'
    for label, (x1, y1, x2, y2) in zip(labels, boxes):
        obj = ET.SubElement(root, 'object')
        ET.SubElement(obj, 'name').text = classes[label]
        ET.SubElement(obj, 'pose').text = 'Unspecified'
        ET.SubElement(obj, 'truncated').text = '0'
        ET.SubElement(obj, 'difficult').text = '0'
        bndbox = ET.SubElement(obj, 'bndbox')
        for tag, value in (('xmin', x1 + 1), ('ymin', y1 + 1), ('xmax', x2), ('ymax', y2)):
            ET.SubElement(bndbox, tag).text = str(int(value))
    ET.indent(root, space='\t')
    return ET.tostring(root, encoding='unicode') + '\n'


def _coco_annotations(instance_map: np.ndarray, labels: np.ndarray) -> List[dict]:
    """COCO fields (no ids) of each instance mask ``instance_map == k`` (void excluded)."""
    annotations = []
    for k, label in enumerate(labels, 1):
        mask = instance_map == k
        rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
        ys, xs = np.nonzero(mask)
        annotations.append({
            'category_id': int(label) + 1,
            'segmentation': {'size': [int(s) for s in rle['size']],
                             'counts': rle['counts'].decode('ascii')},
            'area': int(mask.sum()),
            'bbox': [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1),
                     int(ys.max() - ys.min() + 1)],
            'iscrowd': 0,
        })
    return annotations


def _write_scene(task: Tuple[str, int, int, int, str, str]
                 ) -> Tuple[SceneRecord, List[dict]]:
    """Render and write one VOC scene; returns its record and COCO annotations."""
    split, index, seed, size, root, kind = task
    classes, render, _, _ = KINDS[kind]
    scene = render(np.random.default_rng([seed, SPLIT_INDEX[split], index]), size)
    image_id = f'syn_{split}_{index:06d}'
    out = Path(root)
    _save_jpeg(scene.image, out / 'JPEGImages' / f'{image_id}.jpg')
    (out / 'Annotations' / f'{image_id}.xml').write_text(
        _voc_xml(image_id, size, scene.instance_labels, scene.boxes, classes), encoding='utf-8')
    instance_map = scene.instance_map
    class_lut = np.zeros(256, np.uint8)
    class_lut[1:len(scene.instance_labels) + 1] = scene.instance_labels + 1
    class_lut[VOID] = VOID
    _save_palette_png(class_lut[instance_map], out / 'SegmentationClass' / f'{image_id}.png')
    _save_palette_png(instance_map, out / 'SegmentationObject' / f'{image_id}.png')
    record = SceneRecord(image_id, tuple(int(c) for c in scene.instance_labels),
                         tuple((int(i), int(j)) for i, j in scene.touching))
    return record, _coco_annotations(instance_map, scene.instance_labels)


def _write_salient(task: Tuple[str, int, int, int, str, str]) -> str:
    """Render and write one salient-object image and mask; returns its id."""
    split, index, seed, size, root, kind = task
    render = KINDS[kind][2]
    image, mask = render(np.random.default_rng([seed, SPLIT_INDEX[split], index]), size)
    image_id = f'syn_salient_{index:06d}'
    out = Path(root) / 'SalientObjects'
    _save_jpeg(image, out / 'JPEGImages' / f'{image_id}.jpg')
    Image.fromarray(mask.astype(np.uint8) * 255).save(out / 'Masks' / f'{image_id}.png',
                                                      format='PNG')
    return image_id


def _coco_json(records: Sequence[SceneRecord], annotations: Sequence[List[dict]],
               size: int, kind: str) -> dict:
    classes, _, _, description = KINDS[kind]
    images, anns = [], []
    for image_id, (record, image_anns) in enumerate(zip(records, annotations), 1):
        images.append({'id': image_id, 'file_name': f'{record.image_id}.jpg',
                       'height': size, 'width': size})
        for ann in image_anns:
            anns.append({'id': len(anns) + 1, 'image_id': image_id, **ann})
    return {
        'info': {'description': description, 'version': GENERATOR_VERSION},
        'licenses': [],
        'images': images,
        'annotations': anns,
        'categories': [{'id': c + 1, 'name': name, 'supercategory': 'shape'}
                       for c, name in enumerate(classes)],
    }


def _readme(meta: dict) -> str:
    counts = meta['num_images']
    kind_option = '' if meta['kind'] == 'shapes' else f" --kind {meta['kind']}"
    return f"""{KINDS[meta['kind']][3]} dataset (generator {GENERATOR_VERSION}, seed {meta['seed']})

{counts['train']} train / {counts['val']} val scenes and {counts['salient']} salient-object
images of {meta['image_size']}x{meta['image_size']} px. Classes (VOC index = position + 1):
{', '.join(meta['classes'])}.

JPEGImages/, Annotations/ (VOC XML), SegmentationClass/, SegmentationObject/ (palette PNGs,
0 background, 255 void band on every object border), ImageSets/Segmentation/*.txt:
PASCAL VOC 2012 layout; the k-th <object> of an XML is instance k of SegmentationObject.
annotations/instances_{{train,val}}.json: the same masks (void excluded) as COCO RLE.
SalientObjects/: class-agnostic single-object images and 0/255 masks (list.txt).

Regenerate with: python tools/make_synthetic.py --seed {meta['seed']}{kind_option} \\
    --num-train {counts['train']} --num-val {counts['val']} \\
    --num-salient {counts['salient']} --image-size {meta['image_size']}
"""


def _prepare_tmp(out_dir: Path, overwrite: bool) -> Path:
    """Check ``out_dir`` may be written and return a fresh ``<out_dir>.tmp``."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not overwrite:
            raise FileExistsError(f'{out_dir} is not empty; pass overwrite=True to replace it')
        if not (out_dir / 'meta.json').is_file():
            raise FileExistsError(f'{out_dir} has no meta.json, so it is not a synthetic '
                                  'dataset; refusing to delete it')
    tmp = out_dir.with_name(out_dir.name + '.tmp')
    if tmp.exists():
        if not (tmp / _INCOMPLETE).is_file():
            raise FileExistsError(f'{tmp} exists and is not an unfinished synthetic dataset')
        shutil.rmtree(tmp)
    for sub in ('JPEGImages', 'Annotations', 'SegmentationClass', 'SegmentationObject',
                'ImageSets/Segmentation', 'annotations', 'SalientObjects/JPEGImages',
                'SalientObjects/Masks'):
        (tmp / sub).mkdir(parents=True)
    (tmp / _INCOMPLETE).write_text('generation in progress or interrupted\n', encoding='utf-8')
    return tmp


def _write_lines(path: Path, lines: Sequence[str]) -> None:
    path.write_text(''.join(f'{line}\n' for line in lines), encoding='utf-8')


def write_synthetic_dataset(out_dir: Union[str, Path], num_train: int, num_val: int,
                            num_salient: int, image_size: int, seed: int, workers: int = 1,
                            overwrite: bool = False,
                            kind: str = 'shapes') -> Dict[str, List[SceneRecord]]:
    """Generate the dataset into ``out_dir`` (see the module docstring and README.txt).

    Args:
        kind: ``'shapes'`` or ``'photo'``.
        workers: processes rendering in parallel; the output bytes do not depend on it.
        overwrite: replace an existing non-empty ``out_dir`` that holds a ``meta.json``.

    Returns:
        ``{'train': [...], 'val': [...]}`` records of the written scenes, in id order.
    """
    if kind not in KINDS:
        raise ValueError(f'kind must be one of {tuple(KINDS)}, got {kind!r}')
    out_dir = Path(out_dir)
    tmp = _prepare_tmp(out_dir, overwrite)
    counts = {'train': num_train, 'val': num_val, 'salient': num_salient}
    tasks = {split: [(split, i, seed, image_size, str(tmp), kind) for i in range(n)]
             for split, n in counts.items()}
    if workers > 1:
        # fork: workers inherit the imported modules instead of re-importing the package.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context('fork' if 'fork' in methods else 'spawn')
        with context.Pool(workers) as pool:
            scenes = {s: pool.map(_write_scene, tasks[s], chunksize=4) for s in ('train', 'val')}
            salient_ids = pool.map(_write_salient, tasks['salient'], chunksize=4)
    else:
        scenes = {s: [_write_scene(t) for t in tasks[s]] for s in ('train', 'val')}
        salient_ids = [_write_salient(t) for t in tasks['salient']]

    records = {split: [rec for rec, _ in items] for split, items in scenes.items()}
    for split, items in scenes.items():
        coco = _coco_json(records[split], [anns for _, anns in items], image_size, kind)
        (tmp / 'annotations' / f'instances_{split}.json').write_text(json.dumps(coco),
                                                                     encoding='utf-8')
    image_sets = tmp / 'ImageSets' / 'Segmentation'
    for name, split in (('train', 'train'), ('val', 'val'), ('train_aug', 'train')):
        _write_lines(image_sets / f'{name}.txt', [r.image_id for r in records[split]])
    _write_lines(tmp / 'SalientObjects' / 'list.txt', salient_ids)
    meta = {
        'generator': 'mmwsis.datasets.synthetic',
        'version': GENERATOR_VERSION,
        'kind': kind,
        'seed': seed,
        'image_size': image_size,
        'classes': list(KINDS[kind][0]),
        'num_images': counts,
        'num_instances': {s: sum(len(r.labels) for r in records[s]) for s in records},
        'void_value': VOID,
    }
    (tmp / 'meta.json').write_text(json.dumps(meta, indent=2) + '\n', encoding='utf-8')
    (tmp / 'README.txt').write_text(_readme(meta), encoding='utf-8')
    (tmp / _INCOMPLETE).unlink()
    if out_dir.exists():
        shutil.rmtree(out_dir)  # empty, or a synthetic dataset with overwrite=True
    tmp.rename(out_dir)
    return records
