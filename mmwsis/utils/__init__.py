from .cpu_ranks import prepare_cpu_ranks
from .data_settings import DATA_SETTINGS, apply_data_settings, data_settings_of, load_config
from .pretrained import check_pretrained_files
from .result_cache import ResultCache
from .setup_env import register_all_modules

__all__ = [
    'register_all_modules', 'check_pretrained_files', 'ResultCache', 'DATA_SETTINGS',
    'apply_data_settings', 'data_settings_of', 'load_config', 'prepare_cpu_ranks'
]
