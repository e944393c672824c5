"""Where a pipeline run loses quality, stage by stage, on the user's own training images.

    python tools/analysis_tools/diagnose.py WORK_DIR [--num-images 40] [--pictures 8]

WORK_DIR is the folder ``tools/pipeline.py`` ran in (its stages' ``pipeline_config.py``
and checkpoints are read from there). For the first ``--num-images`` training images it
reports, for IRNet:

- image-label classification of the CAM network (F1 against the image labels, which every
  weakly labelled dataset has);
- CAM mIoU (background 0.15) on the teacher's grid, where the images have GT masks;
- the relation labels' and the pseudo labels' scores over the whole split, from their
  summaries;
- the pseudo labels rebuilt from the same teacher outputs with GT class maps in place of
  the CAMs, with GT instances in place of the displacement clusters, and with both: the
  stage whose oracle gains most is the weakest;

and for LIID the proposals' recall and the pseudo labels the best proposal of each GT
instance would give (the proposals' ceiling) against what the classifier and the cut
kept. Without GT it reports the label statistics, the classification F1 and how many of
the image labels found a pseudo instance, and names the weakest stage from those. Pictures
of the teacher's outputs (CAMs, boundaries, displacement field, instance clusters), the
pseudo labels and the GT go to ``WORK_DIR/diagnosis/``, with ``diagnosis.md`` and
``diagnosis.json``. GT of training images only; val is never read.
"""
import argparse
import json
import os
import os.path as osp
import sys
from collections import Counter
from typing import Dict, List, Optional

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(REPO_ROOT, 'mmwsis')) and REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import mmcv  # noqa: E402
import numpy as np  # noqa: E402
import pycocotools.mask as mask_utils  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.utils import ProgressBar  # noqa: E402

from mmwsis.analysis import gt_grid_maps, irn_oracle_labels, run_teacher  # noqa: E402
from mmwsis.engine.pseudo_label import LazyResults, reference_dataset_cfg  # noqa: E402
from mmwsis.engine.pseudo_label.labelers import IRNInstanceLabeler  # noqa: E402
from mmwsis.evaluation.functional import (ImageInstances, confusion_matrix,  # noqa: E402
                                          encode_masks, iou_per_label, mask_iou,
                                          voc_instance_ap)
from mmwsis.registry import DATASETS  # noqa: E402
from mmwsis.utils import ResultCache, register_all_modules  # noqa: E402
from mmwsis.visualization import (flow_picture, heatmap, label_picture,  # noqa: E402
                                  overlay_instances, titled_row)

COLUMNS = ('mAP25', 'mAP50', 'mAP70', 'mAP75')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dir', help='the --work-dir of a tools/pipeline.py run')
    parser.add_argument('--num-images', type=int, default=40,
                        help='first training images to run the teacher on')
    parser.add_argument('--pictures', type=int, default=8, help='images to draw')
    return parser.parse_args()


class Run:
    """The teacher steps of a pipeline run, as its stage folders record them."""

    def __init__(self, work_dir: str) -> None:
        self.work_dir = osp.abspath(work_dir)
        self.steps: Dict[str, Config] = {}
        self.checkpoints: Dict[str, str] = {}
        leaf = None
        for name in sorted(os.listdir(self.work_dir)):
            config = osp.join(self.work_dir, name, 'pipeline_config.py')
            record = osp.join(self.work_dir, name, 'stage_train.json')
            if not (osp.isfile(config) and osp.isfile(record)) or name == 'refine':
                continue
            cfg = Config.fromfile(config)
            if 'pseudo_label' not in cfg:
                continue
            with open(record) as f:
                self.checkpoints[name] = json.load(f)['outputs']['checkpoint']
            self.steps[name] = cfg
            if 'wsis_pipeline' in cfg:
                leaf = cfg
        if leaf is None:
            raise SystemExit(f'{work_dir} holds no finished teacher stage of tools/pipeline.py '
                             '(<step>/pipeline_config.py and stage_train.json)')
        order = [step.name for step in leaf.wsis_pipeline.teacher_steps]
        self.steps = {name: self.steps[name] for name in order if name in self.steps}
        self.last = order[-1]
        cfg = self.steps[self.last]
        self.dataset = DATASETS.build(reference_dataset_cfg(cfg))
        self.classes = tuple(self.dataset.metainfo['classes'])
        out_dir = cfg.pseudo_label.get('out_dir') or osp.join(self.work_dir, self.last,
                                                              'pseudo_labels')
        self.pseudo_dir = out_dir
        with open(osp.join(out_dir, 'train_summary.json')) as f:
            self.summary = json.load(f)
        with open(self.summary['output']) as f:
            self.pseudo = json.load(f)

    def pseudo_instances(self) -> Dict[str, dict]:
        """{img_id: masks (M, H, W), labels, scores} of the pseudo json."""
        by_image = {image['id']: image for image in self.pseudo['images']}
        out = {str(image['source_id']): dict(masks=[], labels=[], scores=[])
               for image in self.pseudo['images']}
        for ann in self.pseudo['annotations']:
            item = out[str(by_image[ann['image_id']]['source_id'])]
            item['masks'].append(ann['segmentation'])
            item['labels'].append(ann['category_id'] - 1)
            item['scores'].append(ann['score'])
        return out


def label_statistics(run: Run) -> dict:
    """What the pseudo labels look like, GT or not."""
    pseudo = run.pseudo_instances()
    infos = [run.dataset.get_data_info(i) for i in range(len(run.dataset))]
    found = wanted = 0
    areas = []
    for info in infos:
        item = pseudo[str(info['img_id'])]
        wanted += len(info['image_labels'])
        found += len(set(item['labels']) & set(info['image_labels']))
        areas += [mask_utils.area(m) / (info['height'] * info['width']) for m in item['masks']]
    counts = Counter(label for item in pseudo.values() for label in item['labels'])
    return dict(images=len(infos), instances=run.summary['instances'],
                empty_images=run.summary['empty_images'],
                image_labels_found=found / max(wanted, 1),
                median_area=float(np.median(areas)) if areas else 0.0,
                per_class={run.classes[k]: counts.get(k, 0) for k in range(len(run.classes))})


def classification_f1(cfg: Config, checkpoint: str, count: int, dataset) -> Optional[float]:
    """F1 of the CAM classifier's image labels (logit > 0) against the given ones."""
    if cfg.model.type != 'CAMClassifier':
        return None
    tp = fp = fn = 0
    for index, logits in run_teacher(cfg, checkpoint, count, mode='tensor'):
        predicted = set(np.flatnonzero(logits.numpy() > 0).tolist())
        given = set(dataset.get_data_info(index)['image_labels'])
        tp, fp, fn = tp + len(predicted & given), fp + len(predicted - given), \
            fn + len(given - predicted)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def ap(images: List[ImageInstances], num_classes: int) -> Dict[str, float]:
    result = voc_instance_ap(images, num_classes)
    return {c: float(m * 100) for c, m in zip(COLUMNS, result['map'])}


def scored(info: dict, masks, labels, scores) -> ImageInstances:
    rles = encode_masks(np.asarray(masks, bool)) if not isinstance(masks, list) else masks
    return ImageInstances(pred_masks=rles, pred_labels=np.asarray(labels, np.int64),
                          pred_scores=np.asarray(scores, np.float64),
                          gt_masks=[g['mask'] for g in info['instances']],
                          gt_labels=[g['bbox_label'] for g in info['instances']])


def diagnose_irn(run: Run, count: int, pictures: int, out_dir: str) -> dict:
    cam_name = next(name for name, cfg in run.steps.items() if cfg.model.type == 'CAMClassifier')
    report = dict(method='IRNet', classification_f1=classification_f1(
        run.steps[cam_name], run.checkpoints[cam_name], count, run.dataset))
    cam_dir = run.steps[cam_name].pseudo_label.get('out_dir') or osp.join(
        run.work_dir, cam_name, 'pseudo_labels')
    with open(osp.join(cam_dir, f'{run.steps[cam_name].pseudo_label.name}_summary.json')) as f:
        report['relation_labels'] = json.load(f)['metrics']
    report['pseudo_labels'] = run.summary['metrics']
    options = IRNInstanceLabeler().kwargs  # its defaults, then the config's settings
    options.update({k: v for k, v in run.steps[run.last].pseudo_label.labeler.items()
                    if k in options})
    rows = {name: [] for name in ('config', 'GT classes', 'GT instances', 'GT both')}
    confusion = None
    pseudo = run.pseudo_instances()
    progress = ProgressBar(count)
    for index, out in run_teacher(run.steps[run.last], run.checkpoints[run.last], count):
        info = run.dataset.get_data_info(index)
        size = (info['height'], info['width'])
        scale = float(out.metainfo.get('teacher_scale', 1.0))
        item = dict(cams=out.cams.numpy(), cam_labels=out.cam_labels.numpy(),
                    boundary=out.boundary.numpy(), displacement=out.displacement.numpy(),
                    size=size, work_size=(round(size[0] * scale), round(size[1] * scale)))
        has_gt = info.get('has_masks')
        if has_gt:
            item['gt_classes'], item['gt_instances'] = gt_grid_maps(
                info, item['work_size'], item['cams'].shape[1:])
            keys = np.concatenate([[0], item['cam_labels'] + 1])
            guess = keys[np.concatenate([np.full((1, *item['cams'].shape[1:]), 0.15),
                                         item['cams']]).argmax(0)]
            matrix = confusion_matrix(guess, item['gt_classes'], len(run.classes) + 1)
            confusion = matrix if confusion is None else confusion + matrix
            for name, semantic, instances in (('config', False, False),
                                              ('GT classes', True, False),
                                              ('GT instances', False, True),
                                              ('GT both', True, True)):
                labels = irn_oracle_labels(item, options, semantic, instances)
                rows[name].append(scored(info, labels['masks'], labels['labels'],
                                         labels['scores']))
        if index < pictures:
            clusters = irn_oracle_labels(item, options)['instance_map'] + 1
            draw(run, info, out_dir, pseudo[str(info['img_id'])], [
                ('CAMs', heatmap(item['cams'].max(0, initial=0), size)),
                ('boundary', heatmap(item['boundary'], size)),
                ('displacement', flow_picture(item['displacement'], size)),
                ('instance clusters', label_picture(clusters, size))])
        progress.update()
    print()
    if confusion is not None:
        report['cam_miou'] = float(np.nanmean(iou_per_label(confusion)) * 100)
        report['oracles'] = {name: ap(images, len(run.classes)) for name, images in rows.items()}
        report['scored_images'] = len(rows['config'])
    return report


def diagnose_liid(run: Run, count: int, pictures: int, out_dir: str) -> dict:
    report = dict(method='LIID', pseudo_labels=run.summary['metrics'])
    cache = ResultCache(osp.join(run.pseudo_dir, 'cache', 'train'))
    infos = [run.dataset.get_data_info(i) for i in range(min(count, len(run.dataset)))]
    cached = LazyResults.from_cache(cache, [str(i['img_id']) for i in infos])
    pseudo = run.pseudo_instances()
    best, actual, recalled, total = [], [], 0, 0
    for index, info in enumerate(infos):
        payload = cached[str(info['img_id'])].payload
        proposals = payload['proposal_masks']
        item = pseudo[str(info['img_id'])]
        if info.get('has_masks') and info['instances']:
            gt = [g['mask'] for g in info['instances']]
            ious = mask_iou(proposals, gt) if len(proposals) else np.zeros((0, len(gt)))
            recalled += int((ious.max(axis=0, initial=0) >= 0.5).sum())
            total += len(gt)
            chosen = ious.argmax(axis=0) if len(proposals) else []
            best.append(scored(info, [proposals[j] for j in chosen],
                               [g['bbox_label'] for g in info['instances']],
                               ious.max(axis=0) if len(proposals) else []))
            actual.append(scored(info, item['masks'], item['labels'], item['scores']))
        if index < pictures:
            objectness = payload['objectness']
            top = np.argsort(-objectness)[:8]
            masks = mask_utils.decode([proposals[j] for j in top]).transpose(2, 0, 1) \
                if len(top) else np.zeros((0, info['height'], info['width']), bool)
            rgb = mmcv.imread(info['img_path'], channel_order='rgb')
            draw(run, info, out_dir, item, [('top proposals', overlay_instances(
                rgb, masks.astype(bool), [0] * len(top), ['proposal'], objectness[top]))])
    if total:
        report['proposal_recall_at_0.5'] = recalled / total
        report['oracles'] = {'kept by the classifier and the cut': ap(actual, len(run.classes)),
                             'best proposal of each GT instance': ap(best, len(run.classes))}
        report['scored_images'] = len(actual)
    return report


def draw(run: Run, info: dict, out_dir: str, pseudo: dict, panels: list) -> None:
    rgb = mmcv.imread(info['img_path'], channel_order='rgb')
    masks = (mask_utils.decode(pseudo['masks']).transpose(2, 0, 1).astype(bool)
             if pseudo['masks'] else np.zeros((0, *rgb.shape[:2]), bool))
    gt = info['instances'] if info.get('has_masks') else []
    truth = (np.stack([mask_utils.decode(g['mask']).astype(bool) for g in gt]) if gt
             else np.zeros((0, *rgb.shape[:2]), bool))
    row = [('image', rgb), *panels,
           (f'pseudo ({len(masks)})', overlay_instances(rgb, masks, pseudo['labels'],
                                                        run.classes, pseudo['scores'])),
           (f'GT ({len(gt)})', overlay_instances(rgb, truth, [g['bbox_label'] for g in gt],
                                                 run.classes))]
    picture = titled_row([panel for _, panel in row], [title for title, _ in row])
    mmcv.imwrite(picture[..., ::-1], osp.join(out_dir, f'{info["img_id"]}.png'))


def weakest_stage(report: dict, stats: dict) -> str:
    """The stage that loses most, from the oracles where GT exists, else the statistics."""
    oracles = report.get('oracles')
    if oracles and report['method'] == 'IRNet':
        base = oracles['config']['mAP50']
        losses = {'the CAMs (class maps)': oracles['GT classes']['mAP50'] - base,
                  'instance separation (displacement clusters)':
                      oracles['GT instances']['mAP50'] - base,
                  'mask formation (the random walk), even from GT parts':
                      100 - oracles['GT both']['mAP50']}
        name = max(losses, key=losses.get)
        note = ''
        f1 = report.get('classification_f1')
        if f1 is not None and f1 < 0.5:
            note = f'; the classifier itself is weak (F1 {f1:.2f} on the image labels)'
        return f'{name}: {losses[name]:.1f} mAP50 points lost there ({base:.1f} now){note}'
    if oracles:
        best = oracles['best proposal of each GT instance']['mAP50']
        kept = oracles['kept by the classifier and the cut']['mAP50']
        if 100 - best > best - kept:
            return (f'the proposals: their best masks reach only {best:.1f} mAP50 '
                    f'(recall@0.5 {report["proposal_recall_at_0.5"]:.2f})')
        return (f'the classifier and the cut: {kept:.1f} mAP50 of the {best:.1f} the '
                'proposals allow')
    f1 = report.get('classification_f1')
    if f1 is not None and f1 < 0.8:
        return f'the classifier: F1 {f1:.2f} on the image labels'
    return (f'no GT to compare with; {stats["image_labels_found"]:.0%} of the image labels '
            f'found a pseudo instance, {stats["empty_images"]} images have none')


def markdown(report: dict, stats: dict, weakest: str) -> str:
    lines = [f'# Diagnosis of {report["work_dir"]} ({report["method"]})', '',
             f'**Weakest stage: {weakest}**', '', '| what | value |', '|---|---|']
    for key in ('classification_f1', 'cam_miou', 'proposal_recall_at_0.5'):
        if report.get(key) is not None:
            lines.append(f'| {key.replace("_", " ")} | {report[key]:.3g} |')
    for key in ('relation_labels', 'pseudo_labels'):
        if report.get(key):
            lines.append(f'| {key.replace("_", " ")} (whole split) | ' + ', '.join(
                f'{k} {v:.1f}' for k, v in report[key].items()) + ' |')
    lines += [f'| {k.replace("_", " ")} | {v:.3g} |' if isinstance(v, float)
              else f'| {k.replace("_", " ")} | {v} |' for k, v in stats.items()]
    if report.get('oracles'):
        lines += ['', f'Pseudo labels on the first {report["scored_images"]} images with GT '
                  '(mAP^r, VOC protocol):', '', '| labels | ' + ' | '.join(COLUMNS) + ' |',
                  '|---|' + '---|' * len(COLUMNS)]
        lines += [f'| {name} | ' + ' | '.join(f'{v[c]:.1f}' for c in COLUMNS) + ' |'
                  for name, v in report['oracles'].items()]
    return '\n'.join(lines) + '\n'


def main() -> None:
    args = parse_args()
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    torch.set_grad_enabled(False)
    run = Run(args.work_dir)
    out_dir = osp.join(run.work_dir, 'diagnosis')
    os.makedirs(out_dir, exist_ok=True)
    labeler = run.steps[run.last].pseudo_label.labeler.type
    handlers = dict(IRNInstanceLabeler=diagnose_irn, LIIDCutLabeler=diagnose_liid)
    if labeler not in handlers:
        raise SystemExit(f'no diagnosis for {labeler} yet (known: {sorted(handlers)})')
    report = handlers[labeler](run, args.num_images, args.pictures, out_dir)
    report['work_dir'] = run.work_dir
    stats = label_statistics(run)
    weakest = weakest_stage(report, stats)
    report.update(label_statistics=stats, weakest_stage=weakest)
    with open(osp.join(out_dir, 'diagnosis.json'), 'w') as f:
        json.dump(report, f, indent=1)
    text = markdown(report, stats, weakest)
    with open(osp.join(out_dir, 'diagnosis.md'), 'w') as f:
        f.write(text)
    print(text)
    print(f'pictures and report in {out_dir}')


if __name__ == '__main__':
    main()
