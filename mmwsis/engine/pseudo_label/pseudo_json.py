"""Read back the instances of an mmwsis pseudo-label json, image by image."""
import json
from typing import Dict


def pseudo_instances(path: str) -> Dict[str, dict]:
    """``img_id -> {'masks' (RLEs), 'labels' (0-based), 'scores'}`` of an mmwsis pseudo json;
    every image of the json has an entry, an image without instances empty lists."""
    with open(path) as f:
        data = json.load(f)
    by_image = {image['id']: str(image.get('source_id', image['id']))
                for image in data['images']}
    found = {img_id: dict(masks=[], labels=[], scores=[]) for img_id in by_image.values()}
    for ann in data['annotations']:
        entry = found[by_image[ann['image_id']]]
        entry['masks'].append(ann['segmentation'])
        entry['labels'].append(ann['category_id'] - 1)
        entry['scores'].append(ann.get('score', 1.0))
    return found
