import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register mmdet's and mmwsis's modules into their registries.

    Args:
        init_default_scope: make ``mmwsis`` the current default scope, so that
            unprefixed ``type=`` names resolve to mmwsis (then mmengine) modules.
    """
    import mmdet.engine  # noqa: F401
    import mmdet.visualization  # noqa: F401

    import mmwsis.datasets  # noqa: F401
    import mmwsis.engine  # noqa: F401
    import mmwsis.evaluation  # noqa: F401
    import mmwsis.models  # noqa: F401

    if not init_default_scope:
        return
    never_created = (DefaultScope.get_current_instance() is None
                     or not DefaultScope.check_instance_created('mmwsis'))
    if never_created:
        DefaultScope.get_instance('mmwsis', scope_name='mmwsis')
        return
    current_scope = DefaultScope.get_current_instance()
    if current_scope.scope_name != 'mmwsis':
        warnings.warn('The current default scope '
                      f'"{current_scope.scope_name}" is not "mmwsis", '
                      '`register_all_modules` will force the current'
                      'default scope to be "mmwsis". If this is not '
                      'expected, please set `init_default_scope=False`.')
        new_instance_name = f'mmwsis-{datetime.datetime.now()}'
        DefaultScope.get_instance(new_instance_name, scope_name='mmwsis')
