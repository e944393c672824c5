"""The pieces of ``tools/pipeline.py``: stage configs, stage records, results."""
from .provenance import machine_description, source_commit
from .results import evaluator_keys, last_scalars, metric_table
from .stage_configs import (config_path, existing_options, prepare_stage_config,
                            referenced_splits, set_by_path)
from .stage_record import StageRecord, config_key

__all__ = [
    'StageRecord', 'config_key', 'config_path', 'existing_options', 'prepare_stage_config',
    'referenced_splits', 'set_by_path', 'evaluator_keys', 'last_scalars', 'metric_table',
    'machine_description', 'source_commit'
]
