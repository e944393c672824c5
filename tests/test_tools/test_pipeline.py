"""`tools/pipeline.py` on a user's own data, named in one short file.

A VOC-layout folder with other class names and another class count, and a COCO-json
folder scored by mmdet's CocoMetric, each run through every stage (teacher steps, pseudo
labels, refinement, ceiling) from a file of a few lines; then a rerun that skips what is
done and redoes what a changed option touches.
"""
import json
import os.path as osp
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from mmengine.config import Config
from PIL import Image

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# Keep the tiny run tiny: one pass over the 12 images per stage (no per-class floor on the
# epoch), no worker processes, CAMs at one scale.
FAST = ['train_cfg.max_epochs=1', 'train_dataloader.sampler.min_images_per_class=0',
        'model.cam_scales=[1.0]', 'model.cam_short_side=None',
        'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False', 'pseudo_label.dataloader.num_workers=0',
        'pseudo_label.labeler.cut.num_workers=1']
# The tiny synthetic classes kept, under new names; ring and cross become unlabelled clutter.
RENAMED = {'disc': 'coin', 'square': 'tile', 'triangle': 'wedge', 'star': 'spark'}


def write_renamed_voc(src, dst) -> tuple:
    """A VOC-layout copy of ``src`` with 4 renamed classes (of 6); returns the names."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns('annotations', 'salient*'))
    old = json.loads((dst / 'meta.json').read_text())['classes']
    new = tuple(RENAMED.values())
    lookup = np.zeros(256, np.uint8)
    lookup[255] = 255
    for index, name in enumerate(old):
        lookup[index + 1] = new.index(RENAMED[name]) + 1 if name in RENAMED else 0
    for path in (dst / 'SegmentationClass').glob('*.png'):
        classes = np.asarray(Image.open(path))
        objects_path = dst / 'SegmentationObject' / path.name
        objects = np.asarray(Image.open(objects_path)).copy()
        objects[(lookup[classes] == 0) & (classes != 0) & (classes != 255)] = 0
        for image, target in ((lookup[classes], path), (objects, objects_path)):
            Image.fromarray(image.astype(np.uint8)).save(target)
    for path in (dst / 'Annotations').glob('*.xml'):
        tree = ET.parse(path)
        for obj in list(tree.getroot().findall('object')):
            name = obj.find('name')
            if name.text in RENAMED:
                name.text = RENAMED[name.text]
            else:
                tree.getroot().remove(obj)
        tree.write(path)
    (dst / 'meta.json').write_text(json.dumps(dict(classes=list(new))))
    return new


def pipeline(config, work_dir, *options) -> str:
    result = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools/pipeline.py'), str(config), '--work-dir',
         str(work_dir), '--cfg-options', *FAST, *options],
        cwd=str(work_dir.parent), capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope='module')
def own_voc_run(synthetic_root, tmp_path_factory):
    """The IRNet pipeline on a renamed VOC-layout folder, from a 3-line config."""
    root = tmp_path_factory.mktemp('own_voc')
    classes = write_renamed_voc(synthetic_root, root / 'data')
    config = root / 'irn_my_data.py'
    config.write_text("_base_ = 'mmwsis::irn/irn_synthetic.py'\n"
                      f"data_root = '{root / 'data'}/'\n"
                      f'classes = {classes!r}\n')
    out = pipeline(config, root / 'work')
    return root, config, classes, out


def test_own_voc_data_runs_every_stage_from_one_short_file(own_voc_run):
    root, config, classes, out = own_voc_run
    assert len(config.read_text().splitlines()) <= 15
    for stage in ('A. teacher: cam', 'A. cam labels', 'A. teacher: irn', 'B. pseudo labels',
                  'C. refine + evaluate', 'ceiling: fully supervised'):
        assert f'== {stage}: running' in out
    results = json.loads((root / 'work' / 'results.json').read_text())
    assert results['classes'] == list(classes) and results['data_root'] == f'{root}/data/'
    assert results['supervision'] == 'image'
    assert all(results[row][c] is not None for row in ('refined', 'ceiling')
               for c in results['columns'])
    pseudo = json.loads((root / 'work' / 'irn' / 'pseudo_labels' / 'train.json').read_text())
    assert [c['name'] for c in pseudo['categories']] == list(classes)
    for stage in ('cam', 'irn', 'refine'):
        cfg = Config.fromfile(str(root / 'work' / stage / 'pipeline_config.py'))
        assert cfg.train_dataloader.dataset.data_root == f'{root}/data/'
        assert tuple(cfg.train_dataloader.dataset.metainfo['classes']) == classes
        assert cfg.train_dataloader.sampler.min_images_per_class == 0  # FAST reached it
    refine = Config.fromfile(str(root / 'work' / 'refine' / 'pipeline_config.py'))
    assert refine.model.roi_head.bbox_head.num_classes == len(classes) == 4
    assert refine.model.roi_head.mask_head.num_classes == 4
    assert refine.train_dataloader.dataset.ann_file == str(
        root / 'work' / 'irn' / 'pseudo_labels' / 'train.json')


def test_rerun_skips_what_is_done_and_redoes_what_an_option_changes(own_voc_run):
    root, config, _, _ = own_voc_run
    again = pipeline(config, root / 'work')
    assert again.count(': skipped, done already with this config') == 6
    changed = pipeline(config, root / 'work', 'pseudo_label.labeler.log2_steps=4')
    assert '== A. teacher: irn: skipped' in changed  # a labeler option does not retrain
    assert ('== B. pseudo labels: running (its config changed since its output was '
            'written)') in changed
    assert '== C. refine + evaluate: running (its input stage(s) pseudo_labels changed)' in changed
    assert '== ceiling: fully supervised: skipped' in changed
    # --ceiling-only (to train it beside the method's stages) finds the same folder.
    alone = pipeline(config, root / 'work', '--ceiling-only')
    assert '== ceiling: fully supervised: skipped' in alone and 'A. teacher' not in alone


def test_coco_json_data_is_reported_with_coco_metric(synthetic_root, tmp_path):
    config = tmp_path / 'irn_my_coco.py'
    config.write_text(
        "_base_ = 'mmwsis::irn/irn_synthetic.py'\n"
        f"data_root = '{synthetic_root}/'\n"
        'data_splits = dict(\n'
        "    train=dict(type='COCOInstanceDataset', ann_file='annotations/instances_train.json',\n"
        "               data_prefix=dict(img='JPEGImages/')),\n"
        "    val=dict(type='COCOInstanceDataset', ann_file='annotations/instances_val.json',\n"
        "             data_prefix=dict(img='JPEGImages/')))\n"
        "instance_metric = dict(_delete_=True, type='mmdet.CocoMetric', metric=['segm'])\n")
    out = pipeline(config, tmp_path / 'work')
    results = json.loads((tmp_path / 'work' / 'results.json').read_text())
    assert results['columns'] == ['segm AP', 'segm AP50', 'segm AP75']
    assert all(results[row][c] is not None for row in ('refined', 'ceiling')
               for c in results['columns'])
    assert '| fully-supervised ceiling (val)' in out and 'segm AP50' in out
    refine = Config.fromfile(str(tmp_path / 'work' / 'refine' / 'pipeline_config.py'))
    assert refine.val_evaluator.ann_file == f'{synthetic_root}/annotations/instances_val.json'


def test_diagnosis_names_the_weakest_stage_and_draws_the_teacher(own_voc_run):
    root, _, classes, _ = own_voc_run
    result = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools/analysis_tools/diagnose.py'),
         str(root / 'work'), '--num-images', '4', '--pictures', '2'],
        cwd=str(root), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((root / 'work' / 'diagnosis' / 'diagnosis.json').read_text())
    assert report['method'] == 'IRNet' and report['scored_images'] == 4
    assert set(report['oracles']) == {'config', 'GT classes', 'GT instances', 'GT both'}
    assert 0 <= report['classification_f1'] <= 1 and 'cam_miou' in report
    assert report['weakest_stage'] in result.stdout
    assert set(report['label_statistics']['per_class']) == set(classes)
    assert len(list((root / 'work' / 'diagnosis').glob('*.png'))) == 2


def test_cim_chains_prm_peaks_into_its_clusters(synthetic_root, tmp_path):
    """CIM's two teacher steps on the tiny data: PRM's peaks json feeds CIM's clusters."""
    work = tmp_path / 'work'
    work.mkdir()
    config = tmp_path / 'cim_tiny.py'
    config.write_text("_base_ = 'mmwsis::cim/cim_synthetic.py'\n"
                      f"data_root = '{synthetic_root}/'\n")
    # One epoch of 12 images scores no detection at CIM's 0.3: keep every one kept by NMS.
    out = pipeline(config, work, 'model.test_scales=[96]', 'pseudo_label.score_thr=0.0')
    for stage in ('A. teacher: prm', 'A. prm labels', 'A. teacher: cim', 'B. pseudo labels',
                  'C. refine + evaluate'):
        assert f'== {stage}: running' in out
    peaks = json.loads((work / 'prm' / 'pseudo_labels' / 'peaks_summary.json').read_text())
    # One tiny epoch may leave PRM's maps empty; the peaks are written and scored anyway.
    assert peaks['images'] == 12 and 'point_precision' in peaks['metrics']
    cim = Config.fromfile(str(work / 'cim' / 'pipeline_config.py'))
    assert cim.train_dataloader.dataset.pseudo_points_file == str(
        work / 'prm' / 'pseudo_labels' / 'peaks.json')
    summary = json.loads((work / 'cim' / 'pseudo_labels' / 'train_summary.json').read_text())
    assert summary['images'] == 12 and 'mAP50' in summary['metrics']
    results = json.loads((work / 'results.json').read_text())
    assert all(results['refined'][c] is not None for c in results['columns'])


def test_bestie_chains_wsss_maps_and_pam_points_and_bestie_p_shares_the_wsss(
        synthetic_root, tmp_path):
    """BESTIE's four teacher steps on the tiny data: IRNet's semantic maps (its step's own
    `options`) and PAM's peaks json feed BESTIE's targets. BESTIE-P then reuses the shared
    IRNet steps and trains on the clicked points."""
    work = tmp_path / 'work'
    work.mkdir()
    config = tmp_path / 'bestie_tiny.py'
    config.write_text("_base_ = 'mmwsis::bestie/bestie_synthetic.py'\n"
                      f"data_root = '{synthetic_root}/'\n")
    # One tiny PAM epoch leaves few peaks above BESTIE's 0.7: train on all of them.
    out = pipeline(config, work, 'model.test_short_side=96',
                   'train_dataloader.dataset.pipeline.7.min_score=0.0')
    for stage in ('A. teacher: cam', 'A. teacher: wsss', 'A. wsss labels', 'A. teacher: pam',
                  'A. pam labels', 'A. teacher: bestie', 'B. pseudo labels',
                  'C. refine + evaluate'):
        assert f'== {stage}: running' in out
    wsss = json.loads((work / 'wsss' / 'pseudo_labels' / 'wsss_summary.json').read_text())
    assert wsss['images'] == 12 and 'mIoU' in wsss['metrics']
    peaks = json.loads((work / 'pam' / 'pseudo_labels' / 'peaks_summary.json').read_text())
    assert 'point_precision@0.7' in peaks['metrics']
    bestie = Config.fromfile(str(work / 'bestie' / 'pipeline_config.py'))
    dataset = bestie.train_dataloader.dataset
    assert dataset.pseudo_seg_dir == wsss['output']
    # the labeler groups the same maps' pieces (BESTIELabeler(semantic='wsss'))
    assert bestie.pseudo_label.labeler.semantic == 'wsss'
    assert bestie.pseudo_label.dataloader.dataset.pseudo_seg_dir == wsss['output']
    assert dataset.pseudo_points_file == str(work / 'pam' / 'pseudo_labels' / 'peaks.json')
    summary = json.loads((work / 'bestie' / 'pseudo_labels' / 'train_summary.json').read_text())
    assert summary['images'] == 12 and 'mAP50' in summary['metrics']
    reported = json.loads((work / 'results.json').read_text())['step_labels']
    assert reported['wsss'] == wsss['metrics'] and reported['pam'] == peaks['metrics']
    assert 'wsss labels on train: mIoU' in out

    shared = tmp_path / 'work_dirs' / 'shared'
    assert (work / 'wsss').is_symlink() and (work / 'wsss').resolve().parent == shared
    points_work = tmp_path / 'work_p'
    points_work.mkdir()
    points_config = tmp_path / 'bestie-p_tiny.py'
    points_config.write_text("_base_ = 'mmwsis::bestie/bestie-p_synthetic.py'\n"
                             f"data_root = '{synthetic_root}/'\n")
    out = pipeline(points_config, points_work, 'model.test_short_side=96')
    for stage in ('A. teacher: cam', 'A. teacher: wsss', 'A. wsss labels'):
        assert f'== {stage}: skipped' in out
    for stage in ('A. teacher: bestie', 'B. pseudo labels', 'C. refine + evaluate'):
        assert f'== {stage}: running' in out
    assert (points_work / 'wsss').resolve() == (work / 'wsss').resolve()
    bestie_p = Config.fromfile(str(points_work / 'bestie' / 'pipeline_config.py'))
    assert bestie_p.model.supervision == 'point'
    assert bestie_p.train_dataloader.dataset.pseudo_seg_dir == wsss['output']
    assert bestie_p.pseudo_label.dataloader.dataset.pseudo_seg_dir == wsss['output']


def test_boxcaseg_trains_on_boxes_and_salient_images_and_its_proxy_masks_refine(
        synthetic_root, tmp_path):
    """BoxCaseg's one teacher step on the tiny data: box samples and the salient split in
    one stream, proxy masks with box-IoU confidences, Mask R-CNN on them. Then, with the
    ceiling of the first run, the filled-box baseline on the same boxes (no teacher
    training) and mmdet's BoxInst (its own val row, its predictions matched to the boxes)."""
    work = tmp_path / 'work'
    work.mkdir()
    config = tmp_path / 'boxcaseg_tiny.py'
    config.write_text("_base_ = 'mmwsis::boxcaseg/boxcaseg_synthetic.py'\n"
                      f"data_root = '{synthetic_root}/'\n")
    out = pipeline(config, work)
    for stage in ('A. teacher: boxcaseg', 'B. pseudo labels', 'C. refine + evaluate'):
        assert f'== {stage}: running' in out
    teacher = Config.fromfile(str(work / 'boxcaseg' / 'pipeline_config.py'))
    assert teacher.supervision == 'box'
    parts = teacher.train_dataloader.dataset.datasets
    assert parts[0].dataset.supervision == 'box' and parts[1].type == 'SalientObjectDataset'
    labels = json.loads((work / 'boxcaseg' / 'pseudo_labels' / 'train.json').read_text())
    scores = [a['score'] for a in labels['annotations']]
    assert scores and all(0 < s <= 1 for s in scores) and len(set(scores)) > 1

    config = tmp_path / 'filled_box_tiny.py'
    config.write_text("_base_ = 'mmwsis::filled_box/filled-box_synthetic.py'\n"
                      f"data_root = '{synthetic_root}/'\n")
    (tmp_path / 'baseline').mkdir()
    out = pipeline(config, tmp_path / 'baseline')
    assert 'A. teacher' not in out and '== B. pseudo labels: running' in out
    assert '== ceiling: fully supervised: skipped' in out
    labels = json.loads(
        (tmp_path / 'baseline' / 'filled_box' / 'pseudo_labels' / 'train.json').read_text())
    assert labels['annotations'] and 'pseudo labels (train)' in out

    config = tmp_path / 'boxinst_tiny.py'
    config.write_text("_base_ = 'mmwsis::boxinst/boxinst_lite0_fpn_synthetic.py'\n"
                      f"data_root = '{synthetic_root}/'\n")
    (tmp_path / 'boxinst').mkdir()
    # a few iterations leave every score under BoxInst's 0.05: keep its best guesses
    out = pipeline(config, tmp_path / 'boxinst', 'model.test_cfg.score_thr=0.0',
                   'pseudo_label.labeler.min_iou=0.0')
    assert '== A. teacher: boxinst: running' in out
    assert 'the boxinst teacher itself (val)' in out
    result = json.loads((tmp_path / 'boxinst' / 'results.json').read_text())
    assert set(result['teacher_val']) == set(result['refined'])
